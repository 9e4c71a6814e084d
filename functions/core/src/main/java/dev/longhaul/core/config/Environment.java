package dev.longhaul.core.config;

import java.time.Duration;
import java.util.Map;

/**
 * Reads a function's configuration from its environment once, at init, failing fast with a
 * message that names the variable. Variable names are the ones in {@code template.yaml}.
 */
public final class Environment {
    private final Map<String, String> variables;

    private Environment(Map<String, String> variables) {
        this.variables = variables;
    }

    public static Environment of(Map<String, String> variables) {
        return new Environment(Map.copyOf(variables));
    }

    public String require(String name) {
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required");
        }
        return value;
    }

    public String optional(String name, String fallback) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public long number(String name, long fallback, long min, long max) {
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be an integer");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalStateException("environment variable " + name + " must be between " + min + " and " + max);
        }
        return parsed;
    }

    public Duration seconds(String name, long fallback, long min, long max) {
        return Duration.ofSeconds(number(name, fallback, min, max));
    }

    public Map<String, String> asMap() {
        return variables;
    }
}
