package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Edits of a template's text for tests that start the local cloud on a variant of the project's template. */
final class TemplateText {

    private TemplateText() {
    }

    /** The template without the one line of {@code resource}'s block whose trimmed text is {@code line}. */
    static String withoutLine(String template, String resource, String line) {
        List<String> lines = new ArrayList<>(template.lines().toList());
        int[] block = block(lines, resource);
        List<Integer> found = new ArrayList<>();
        for (int i = block[0]; i < block[1]; i++) {
            if (lines.get(i).trim().equals(line)) {
                found.add(i);
            }
        }
        assertEquals(1, found.size(), resource + " should have one line '" + line + "': update this test");
        lines.remove((int) found.get(0));
        return String.join("\n", lines) + "\n";
    }

    /** The template without the policy statement ({@code - Effect: ...} item) of {@code resource} that holds {@code line}. */
    static String withoutStatement(String template, String resource, String line) {
        List<String> lines = new ArrayList<>(template.lines().toList());
        int[] block = block(lines, resource);
        int at = -1;
        for (int i = block[0]; i < block[1]; i++) {
            if (lines.get(i).trim().equals(line)) {
                at = i;
            }
        }
        assertTrue(at >= 0, resource + " should have a line '" + line + "': update this test");
        int start = at;
        while (!lines.get(start).trim().startsWith("- Effect:")) {
            start--;
        }
        int indent = indentation(lines.get(start));
        int end = start + 1;
        while (end < block[1] && (lines.get(end).isBlank() || indentation(lines.get(end)) > indent)) {
            end++;
        }
        lines.subList(start, end).clear();
        return String.join("\n", lines) + "\n";
    }

    /** Every {@code CodeUri: functions/...} made absolute, so the template runs from any directory. */
    static String withAbsoluteCodeUris(String template, Path root) {
        return template.replace("CodeUri: functions/", "CodeUri: " + root.toAbsolutePath().normalize() + "/functions/");
    }

    /** [first line, end) of a top-level resource's block under Resources. */
    private static int[] block(List<String> lines, String resource) {
        int start = lines.indexOf("  " + resource + ":");
        assertTrue(start >= 0, "no resource " + resource + " in the template");
        int end = start + 1;
        while (end < lines.size() && (lines.get(end).isBlank() || indentation(lines.get(end)) > 2
                || lines.get(end).trim().startsWith("#"))) {
            end++;
        }
        return new int[] {start, end};
    }

    private static int indentation(String line) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        return spaces;
    }
}
