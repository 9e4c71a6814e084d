package dev.longhaul.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.client.Task;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The words and shapes of the progress displays, on a fixed clock. */
class ProgressViewTest {
    private static final Instant CREATED = Instant.parse("2026-11-25T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(CREATED.plusSeconds(65), ZoneOffset.UTC);

    private static Task task(String status, Integer progress, String eta, String finishedAt) {
        String json = "{\"id\":\"t1\",\"type\":\"demo.sleep\",\"status\":\"" + status + "\",\"progress\":" + progress
                + ",\"createdAt\":\"" + CREATED + "\",\"eta\":" + (eta == null ? "null" : "\"" + eta + "\"")
                + ",\"finishedAt\":" + (finishedAt == null ? "null" : "\"" + finishedAt + "\"") + "}";
        try {
            return Task.from(Output.MAPPER.readTree(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFrameShowsTheBarPercentStatusEtaAndElapsedTime() {
        assertEquals("[##########..............]  42%  running  ETA 0:12  elapsed 1:05",
                ProgressText.frame(task("running", 42, "2026-11-25T08:01:17Z", null), CLOCK.instant()));
        assertEquals("[........................]   0%  queued  ETA --:--  elapsed 1:05",
                ProgressText.frame(task("queued", null, null, null), CLOCK.instant()));
        assertEquals("[########################] 100%  succeeded  elapsed 0:42",
                ProgressText.frame(task("succeeded", 100, null, "2026-11-25T08:00:42Z"), CLOCK.instant()));
        assertEquals("  7%  blocked  ETA --:--  elapsed 1:05", ProgressText.line(task("blocked", 7, null, null), CLOCK.instant()),
                "an unknown status is shown as it is, as not finished");
        assertEquals("1:01:01", Output.duration(java.time.Duration.ofSeconds(3661)));
        assertEquals("0:00", Output.duration(java.time.Duration.ofSeconds(-5)), "a clock skew shows no negative time");
    }

    @Test
    void plainLinesComeOncePerChangeWithoutControlCharacters() {
        StringWriter text = new StringWriter();
        try (ProgressView view = new ProgressView.PlainLines(new PrintWriter(text), CLOCK)) {
            view.show(task("queued", null, null, null));
            view.show(task("queued", null, null, null));
            view.show(task("running", 10, "2026-11-25T08:02:00Z", null));
            view.show(task("running", 10, "2026-11-25T08:02:30Z", null));
            view.show(task("running", 60, "2026-11-25T08:01:30Z", null));
            view.show(task("succeeded", 100, null, "2026-11-25T08:01:00Z"));
        }
        String[] lines = text.toString().split(System.lineSeparator());
        assertEquals(4, lines.length, text.toString());
        assertTrue(lines[3].contains("succeeded"), lines[3]);
        assertFalse(text.toString().contains("\r") || text.toString().contains("\033"), text.toString());
    }

    @Test
    void theBarRedrawsInPlaceAndEndsWithANewline() {
        StringWriter text = new StringWriter();
        try (ProgressView view = new ProgressView.Bar(new PrintWriter(text), CLOCK)) {
            view.show(task("running", 10, null, null));
            view.show(task("running", 50, null, null));
            view.show(task("succeeded", 100, null, "2026-11-25T08:01:00Z"));
        }
        String output = text.toString();
        assertTrue(output.startsWith(ProgressView.Bar.REDRAW), output);
        assertTrue(output.endsWith(System.lineSeparator()), output);
        List<String> frames = Arrays.stream(output.split("\r\033\\[2K")).filter(frame -> !frame.isEmpty()).toList();
        assertTrue(frames.size() >= 3, output);
        assertTrue(frames.get(frames.size() - 1).startsWith("[########################] 100%  succeeded"), output);
        assertFalse(output.substring(0, output.length() - System.lineSeparator().length()).contains("\n"),
                "every frame is drawn over the last: " + output);
    }

    @Test
    void jsonLinesAreTheTasksAsReceived() {
        StringWriter text = new StringWriter();
        try (ProgressView view = new ProgressView.JsonLines(new PrintWriter(text))) {
            view.show(task("running", 10, null, null));
        }
        assertTrue(text.toString().startsWith("{\"id\":\"t1\",\"type\":\"demo.sleep\",\"status\":\"running\""), text.toString());
    }
}
