package dev.longhaul.core.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a job type, as rules: {@link #validate} checks a create's {@code parameters}
 * with them, collecting every error so the client sees all of them at once (fields named
 * {@code parameters.NAME}), and {@link #jsonSchema} publishes the same rules as JSON Schema
 * 2020-12 for {@code GET /v1/task-types}. Unknown members are refused, so the schema says
 * {@code "additionalProperties": false}.
 */
public final class Parameters {
    /** The dialect the published schemas declare in {@code $schema}. */
    public static final String JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private final Map<String, Parameter> byName;

    private Parameters(Map<String, Parameter> byName) {
        this.byName = byName;
    }

    /** The rules, in the order clients see them and errors are listed. */
    public static Parameters of(Parameter... parameters) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            if (byName.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("parameter declared twice: " + p.name());
            }
        }
        return new Parameters(byName);
    }

    /** A job type that takes no parameters: only {@code {}} (or none at all) is accepted. */
    public static Parameters none() {
        return of();
    }

    /**
     * Returns the parameters normalized (defaults filled in, integers as {@code Long}), or throws
     * {@link InvalidParametersException} naming each bad, missing or unknown field.
     */
    public Map<String, Object> validate(Map<String, Object> input) {
        Map<String, Object> given = input == null ? Map.of() : input;
        Map<String, Object> normalized = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (Parameter parameter : byName.values()) {
            String field = path(parameter.name());
            if (!given.containsKey(parameter.name())) {
                if (parameter.required()) {
                    errors.add(new FieldError(field, "is required"));
                } else {
                    normalized.put(parameter.name(), parameter.defaultValue());
                }
                continue;
            }
            Object raw = given.get(parameter.name());
            List<FieldError> problems = parameter.errors(field, raw);
            if (!problems.isEmpty()) {
                errors.addAll(problems);
            } else {
                normalized.put(parameter.name(), parameter.normalize(raw));
            }
        }
        for (String key : given.keySet()) {
            if (!byName.containsKey(key)) {
                errors.add(new FieldError(path(key), "is not a known parameter"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        return Map.copyOf(normalized);
    }

    /** The parameters that have defaults, at their defaults. */
    public Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        byName.values().stream().filter(p -> !p.required()).forEach(p -> defaults.put(p.name(), p.defaultValue()));
        return defaults;
    }

    /**
     * The rules as a JSON Schema 2020-12 object schema: {@code $schema}, {@code type},
     * {@code properties}, {@code required} (possibly empty) and {@code additionalProperties: false}.
     * A fresh, mutable map each call.
     */
    public Map<String, Object> jsonSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Parameter parameter : byName.values()) {
            properties.put(parameter.name(), parameter.jsonSchema());
            if (parameter.required()) {
                required.add(parameter.name());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", JSON_SCHEMA_DIALECT);
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    private static String path(String name) {
        return "parameters." + name;
    }

    /** Reads a validated integer parameter. */
    public static long longOf(Map<String, Object> parameters, String name) {
        return ((Number) parameters.get(name)).longValue();
    }
}
