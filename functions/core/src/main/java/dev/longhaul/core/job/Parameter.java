package dev.longhaul.core.job;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One parameter of a job type. The same fields decide what {@code POST /v1/tasks} accepts
 * ({@link #problem}) and what {@code GET /v1/task-types} publishes ({@link #jsonSchema}), so the two
 * cannot disagree. Immutable: each {@code with...} method returns a new parameter.
 *
 * <p>A parameter is required unless it has a default. {@code null} is not a value of any kind:
 * an explicit {@code null} is refused like any other value of the wrong type, as the published
 * schema says.
 */
public final class Parameter {

    private enum Kind { INTEGER, STRING, BOOLEAN, CHOICE, TASKS }

    private final Kind kind;
    private final String name;
    private final String description;
    private final Object defaultValue;
    private final long minimum;
    private final long maximum;
    private final int maxLength;
    private final Pattern pattern;
    private final String example;
    private final List<String> options;
    /** For {@link Kind#TASKS}: the job types an entry may have, read when used (the registry fills up later). */
    private final Supplier<Collection<Job>> taskTypes;

    private Parameter(Kind kind, String name, String description, Object defaultValue, long minimum, long maximum,
                      int maxLength, Pattern pattern, String example, List<String> options) {
        this(kind, name, description, defaultValue, minimum, maximum, maxLength, pattern, example, options, null);
    }

    private Parameter(Kind kind, String name, String description, Object defaultValue, long minimum, long maximum,
                      int maxLength, Pattern pattern, String example, List<String> options,
                      Supplier<Collection<Job>> taskTypes) {
        this.kind = kind;
        this.name = Objects.requireNonNull(name, "name");
        this.description = description;
        this.defaultValue = defaultValue;
        this.minimum = minimum;
        this.maximum = maximum;
        this.maxLength = maxLength;
        this.pattern = pattern;
        this.example = example;
        this.options = options;
        this.taskTypes = taskTypes;
    }

    /** A whole number in [{@code minimum}, {@code maximum}]; {@code 5.0} and {@code 5e0} are 5, as JSON Schema says. */
    public static Parameter integer(String name, long minimum, long maximum) {
        if (minimum > maximum) {
            throw new IllegalArgumentException(name + ": minimum " + minimum + " is above maximum " + maximum);
        }
        return new Parameter(Kind.INTEGER, name, null, null, minimum, maximum, 0, null, null, null);
    }

    /** A string of at most {@code maxLength} characters (Unicode code points, as JSON Schema counts them). */
    public static Parameter string(String name, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException(name + ": negative maxLength");
        }
        return new Parameter(Kind.STRING, name, null, null, 0, 0, maxLength, null, null, null);
    }

    /** {@code true} or {@code false}. */
    public static Parameter bool(String name) {
        return new Parameter(Kind.BOOLEAN, name, null, null, 0, 0, 0, null, null, null);
    }

    /** One of the given strings, in the order a client should see them. */
    public static Parameter oneOf(String name, String... options) {
        if (options.length == 0 || List.of(options).stream().distinct().count() != options.length) {
            throw new IllegalArgumentException(name + ": options must be distinct and at least one");
        }
        return new Parameter(Kind.CHOICE, name, null, null, 0, 0, 0, null, null, List.of(options));
    }

    /**
     * An array of 1 to {@code maxItems} tasks, each {@code {"type", "parameters"}}: the type one of
     * {@code types} (read when a value is checked or the schema rendered), the parameters checked
     * by that type's own rules, each bad field named {@code NAME[i].parameters.FIELD}. Published as
     * an array whose items are one of an object schema per type.
     */
    public static Parameter tasks(String name, int maxItems, Supplier<Collection<Job>> types) {
        if (maxItems < 1) {
            throw new IllegalArgumentException(name + ": maxItems below 1");
        }
        return new Parameter(Kind.TASKS, name, null, null, 1, maxItems, 0, null, null, null,
                Objects.requireNonNull(types, "types"));
    }

    /** The same parameter, explained for the people choosing its value. */
    public Parameter describedAs(String text) {
        return new Parameter(kind, name, text, defaultValue, minimum, maximum, maxLength, pattern, example, options,
                taskTypes);
    }

    /**
     * The same parameter, optional: absent, it takes {@code value}. The default must itself be
     * valid, so a client sending it explicitly gets the same task.
     */
    public Parameter withDefault(Object value) {
        String problem = problem(Objects.requireNonNull(value, "default"));
        if (problem != null) {
            throw new IllegalArgumentException(name + ": default " + value + " " + problem);
        }
        return new Parameter(kind, name, description, normalize(value), minimum, maximum, maxLength, pattern,
                example, options, taskTypes);
    }

    /**
     * The same string parameter, also matching {@code regex} somewhere (JSON Schema's
     * {@code pattern}: anchor it with {@code ^...$} to match the whole value). Write it in the
     * syntax Java and ECMAScript share (classes, quantifiers, groups, anchors): clients check it
     * with the latter. {@code example} is a value that matches, published as the schema's
     * {@code examples} for people and form builders.
     */
    public Parameter matching(String regex, String example) {
        if (kind != Kind.STRING) {
            throw new IllegalArgumentException(name + ": only a string parameter has a pattern");
        }
        Parameter patterned = new Parameter(kind, name, description, defaultValue, minimum, maximum, maxLength,
                Pattern.compile(regex), example, options);
        String problem = patterned.problem(example);
        if (problem != null) {
            throw new IllegalArgumentException(name + ": example " + example + " " + problem);
        }
        if (defaultValue != null && patterned.problem(defaultValue) != null) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " " + patterned.problem(defaultValue));
        }
        return patterned;
    }

    public String name() {
        return name;
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** The value used when the parameter is absent; null when it is required. */
    public Object defaultValue() {
        return defaultValue;
    }

    /** What is wrong with {@code raw} as this parameter's value, for a {@link FieldError}; null when nothing is. */
    String problem(Object raw) {
        List<FieldError> errors = errors(name, raw);
        return errors.isEmpty() ? null : errors.get(0).message();
    }

    /** Every error of {@code raw} as this parameter's value, the parameter named {@code field}. */
    List<FieldError> errors(String field, Object raw) {
        if (kind == Kind.TASKS) {
            List<FieldError> errors = new ArrayList<>();
            taskList(field, raw, errors);
            return errors;
        }
        String problem = scalarProblem(raw);
        return problem == null ? List.of() : List.of(new FieldError(field, problem));
    }

    private String scalarProblem(Object raw) {
        switch (kind) {
            case INTEGER: {
                Long value = exactLong(raw);
                if (value == null) {
                    return "must be an integer";
                }
                return value < minimum || value > maximum ? "must be between " + minimum + " and " + maximum : null;
            }
            case STRING: {
                if (!(raw instanceof String)) {
                    return "must be a string";
                }
                String text = (String) raw;
                if (text.codePointCount(0, text.length()) > maxLength) {
                    return "must be at most " + maxLength + " characters";
                }
                return pattern != null && !pattern.matcher(text).find() ? "must match " + pattern.pattern() : null;
            }
            case BOOLEAN:
                return raw instanceof Boolean ? null : "must be true or false";
            case CHOICE:
                return raw instanceof String && options.contains(raw) ? null
                        : "must be one of " + String.join(", ", options);
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** A valid value as validated parameters hold it: integers as {@code Long}, tasks with their defaults. */
    Object normalize(Object raw) {
        if (kind == Kind.TASKS) {
            return taskList(name, raw, new ArrayList<>());
        }
        return kind == Kind.INTEGER ? exactLong(raw) : raw;
    }

    /** The entries normalized ({@code type}, validated {@code parameters}), errors collected on the way. */
    @SuppressWarnings("unchecked")
    private List<Object> taskList(String field, Object raw, List<FieldError> errors) {
        List<Object> normalized = new ArrayList<>();
        if (!(raw instanceof List<?> list) || list.size() < minimum || list.size() > maximum) {
            errors.add(new FieldError(field, "must be an array of " + minimum + " to " + maximum + " tasks"));
            return normalized;
        }
        Map<String, Job> types = new LinkedHashMap<>();
        for (Job job : taskTypes.get()) {
            types.put(job.type(), job);
        }
        for (int i = 0; i < list.size(); i++) {
            String path = field + "[" + i + "]";
            if (!(list.get(i) instanceof Map)) {
                errors.add(new FieldError(path, "must be an object with type and parameters"));
                continue;
            }
            Map<String, Object> entry = (Map<String, Object>) list.get(i);
            int before = errors.size();
            for (String key : entry.keySet()) {
                if (!key.equals("type") && !key.equals("parameters")) {
                    errors.add(new FieldError(path + "." + key, "is not a known field"));
                }
            }
            Job job = entry.get("type") instanceof String type ? types.get(type) : null;
            if (job == null) {
                errors.add(new FieldError(path + ".type", "must be one of " + String.join(", ", types.keySet())));
            }
            Object parameters = entry.get("parameters");
            if (entry.containsKey("parameters") && !(parameters instanceof Map)) {
                errors.add(new FieldError(path + ".parameters", "must be an object"));
                continue;
            }
            if (job == null) {
                continue;
            }
            try {
                Map<String, Object> validated = job.parameters().validate((Map<String, Object>) parameters);
                if (errors.size() == before) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("type", job.type());
                    item.put("parameters", validated);
                    normalized.add(item);
                }
            } catch (InvalidParametersException e) {
                for (FieldError error : e.errors()) {
                    errors.add(new FieldError(path + "." + error.field(), error.message()));
                }
            }
        }
        return normalized;
    }

    /**
     * This parameter as a JSON Schema 2020-12 property: {@code type}, {@code description}, then
     * the bounds it is checked against, then {@code default}.
     */
    public Map<String, Object> jsonSchema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        if (kind == Kind.TASKS) {
            schema.put("type", "array");
            if (description != null) {
                schema.put("description", description);
            }
            schema.put("minItems", minimum);
            schema.put("maxItems", maximum);
            List<Object> branches = new ArrayList<>();
            for (Job job : taskTypes.get()) {
                Map<String, Object> parameters = job.parameters().jsonSchema();
                parameters.remove("$schema");
                Map<String, Object> properties = new LinkedHashMap<>();
                properties.put("type", Map.of("const", job.type()));
                properties.put("parameters", parameters);
                Map<String, Object> branch = new LinkedHashMap<>();
                branch.put("type", "object");
                branch.put("properties", properties);
                // parameters may be left out only when every one has a default
                branch.put("required", ((List<?>) parameters.get("required")).isEmpty()
                        ? List.of("type") : List.of("type", "parameters"));
                branch.put("additionalProperties", false);
                branches.add(branch);
            }
            schema.put("items", Map.of("oneOf", branches));
            return schema;
        }
        schema.put("type", kind == Kind.INTEGER ? "integer" : kind == Kind.BOOLEAN ? "boolean" : "string");
        if (description != null) {
            schema.put("description", description);
        }
        switch (kind) {
            case INTEGER:
                schema.put("minimum", minimum);
                schema.put("maximum", maximum);
                break;
            case STRING:
                schema.put("maxLength", (long) maxLength);
                if (pattern != null) {
                    schema.put("pattern", pattern.pattern());
                    schema.put("examples", List.of(example));
                }
                break;
            case CHOICE:
                schema.put("enum", options);
                break;
            default:
                break;
        }
        if (defaultValue != null) {
            schema.put("default", defaultValue);
        }
        return schema;
    }

    /** The value as a {@code long} when it is a whole number within one; null otherwise. */
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
        // a BigInteger is beyond a long; anything else is not a number
        return null;
    }
}
