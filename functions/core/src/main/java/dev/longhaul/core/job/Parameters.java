package dev.longhaul.core.job;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks job parameters, collecting every error so the client sees all of them at
 * once. Field names in errors are prefixed with {@code parameters.}.
 */
public final class Parameters {
    private final Map<String, Object> input;
    private final Map<String, Object> normalized = new LinkedHashMap<>();
    private final List<FieldError> errors = new ArrayList<>();

    private Parameters(Map<String, Object> input) {
        this.input = input == null ? Map.of() : input;
    }

    public static Parameters of(Map<String, Object> input) {
        return new Parameters(input);
    }

    /** An integer in [min, max]; {@code fallback} when absent (null makes it required). */
    public Parameters integer(String name, long min, long max, Long fallback) {
        Object raw = input.get(name);
        if (raw == null) {
            if (fallback == null) {
                errors.add(new FieldError(path(name), "is required"));
            } else {
                normalized.put(name, fallback);
            }
            return this;
        }
        Long value = exactLong(raw);
        if (value == null) {
            errors.add(new FieldError(path(name), "must be an integer"));
        } else if (value < min || value > max) {
            errors.add(new FieldError(path(name), "must be between " + min + " and " + max));
        } else {
            normalized.put(name, value);
        }
        return this;
    }

    /** A string of at most {@code maxLength} characters; {@code fallback} when absent. */
    public Parameters string(String name, int maxLength, String fallback) {
        Object raw = input.get(name);
        if (raw == null) {
            if (fallback == null) {
                errors.add(new FieldError(path(name), "is required"));
            } else {
                normalized.put(name, fallback);
            }
        } else if (!(raw instanceof String)) {
            errors.add(new FieldError(path(name), "must be a string"));
        } else if (((String) raw).length() > maxLength) {
            errors.add(new FieldError(path(name), "must be at most " + maxLength + " characters"));
        } else {
            normalized.put(name, raw);
        }
        return this;
    }

    /** One of the allowed strings; {@code fallback} when absent. */
    public Parameters oneOf(String name, Set<String> allowed, String fallback) {
        Object raw = input.get(name);
        if (raw == null && fallback != null) {
            normalized.put(name, fallback);
        } else if (!(raw instanceof String) || !allowed.contains(raw)) {
            errors.add(new FieldError(path(name), "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed))));
        } else {
            normalized.put(name, raw);
        }
        return this;
    }

    /** Returns the normalized parameters, or throws naming every bad or unknown field. */
    public Map<String, Object> validated() {
        for (String key : input.keySet()) {
            if (!normalized.containsKey(key) && errors.stream().noneMatch(e -> e.field().equals(path(key)))) {
                errors.add(new FieldError(path(key), "is not a known parameter"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        return Map.copyOf(normalized);
    }

    private static String path(String name) {
        return "parameters." + name;
    }

    private static Long exactLong(Object raw) {
        if (raw instanceof Long || raw instanceof Integer) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof BigDecimal) {
            try {
                return ((BigDecimal) raw).longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (raw instanceof BigInteger) {
            return null;
        }
        return null;
    }

    /** Reads a validated integer parameter. */
    public static long longOf(Map<String, Object> parameters, String name) {
        return ((Number) parameters.get(name)).longValue();
    }
}
