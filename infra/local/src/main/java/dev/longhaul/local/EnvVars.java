package dev.longhaul.local;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code --env-vars} file in the format of {@code sam local start-api --env-vars}:
 * {@code {"Parameters": {...}}} for every function, {@code {"<LogicalId>": {...}}} for one, the
 * function's own entries winning.
 */
final class EnvVars {

    private static final String ALL_FUNCTIONS = "Parameters";

    private final Map<String, Map<String, String>> byFunction;

    private EnvVars(Map<String, Map<String, String>> byFunction) {
        this.byFunction = byFunction;
    }

    static EnvVars none() {
        return new EnvVars(Map.of());
    }

    static EnvVars load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read --env-vars file " + file, e);
        }
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (JsonException e) {
            throw new IllegalArgumentException("--env-vars file " + file + " is not a JSON object: " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> byFunction = new LinkedHashMap<>();
        root.forEach((key, value) -> {
            if (!(value instanceof Map<?, ?> variables)) {
                throw new IllegalArgumentException("--env-vars file " + file + ": " + key
                        + " must map variable names to values");
            }
            Map<String, String> strings = new LinkedHashMap<>();
            variables.forEach((name, variable) -> strings.put(String.valueOf(name),
                    variable == null ? "" : variable instanceof String text1 ? text1 : Json.write(variable)));
            byFunction.put(key, Map.copyOf(strings));
        });
        return new EnvVars(byFunction);
    }

    /** The variables for one function: the shared {@code Parameters}, then its own. */
    Map<String, String> forFunction(String logicalId) {
        Map<String, String> variables = new LinkedHashMap<>(byFunction.getOrDefault(ALL_FUNCTIONS, Map.of()));
        variables.putAll(byFunction.getOrDefault(logicalId, Map.of()));
        return variables;
    }

    /** Keys of the file that name no function of the template. */
    List<String> unknownFunctions(Collection<String> functions) {
        List<String> unknown = new ArrayList<>();
        for (String key : byFunction.keySet()) {
            if (!key.equals(ALL_FUNCTIONS) && !functions.contains(key)) {
                unknown.add(key);
            }
        }
        return unknown;
    }
}
