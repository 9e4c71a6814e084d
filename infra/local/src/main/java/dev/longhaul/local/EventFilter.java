package dev.longhaul.local;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An event source mapping's {@code FilterCriteria}: a record passes when it matches any filter's
 * pattern. Patterns use the EventBridge syntax Lambda uses: exact values, {@code prefix},
 * {@code suffix}, {@code equals-ignore-case}, {@code exists}, {@code anything-but} and {@code numeric}.
 */
final class EventFilter {

    private static final EventFilter ALL = new EventFilter(List.of());

    private final List<Map<String, Object>> patterns;

    private EventFilter(List<Map<String, Object>> patterns) {
        this.patterns = patterns;
    }

    /** From the resolved {@code FilterCriteria} property ({@code {Filters: [{Pattern: "json"}]}}), or null for none. */
    static EventFilter of(Object filterCriteria) {
        if (!(filterCriteria instanceof Map<?, ?> criteria) || !(criteria.get("Filters") instanceof List<?> filters)) {
            return ALL;
        }
        List<Map<String, Object>> patterns = new ArrayList<>();
        for (Object filter : filters) {
            Object pattern = filter instanceof Map<?, ?> map ? map.get("Pattern") : null;
            try {
                patterns.add(pattern instanceof Map<?, ?> object ? Deployment.asMap(object) : Json.parseObject(String.valueOf(pattern)));
            } catch (JsonException e) {
                throw new IllegalArgumentException("FilterCriteria pattern is not a JSON object: " + pattern, e);
            }
        }
        return new EventFilter(List.copyOf(patterns));
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    boolean matches(Map<String, Object> record) {
        return patterns.isEmpty() || patterns.stream().anyMatch(pattern -> matchesObject(pattern, record));
    }

    private static boolean matchesObject(Map<String, Object> pattern, Object value) {
        Map<String, Object> object = value instanceof Map<?, ?> map ? Deployment.asMap(map) : Map.of();
        for (Map.Entry<String, Object> entry : pattern.entrySet()) {
            Object field = object.get(entry.getKey());
            if (field instanceof String text && entry.getValue() instanceof Map<?, ?>) {
                // Lambda matches into a JSON body (an SQS message's) as if it were an object.
                try {
                    field = Json.parse(text);
                } catch (JsonException e) {
                    return false;
                }
            }
            boolean present = object.containsKey(entry.getKey());
            if (entry.getValue() instanceof Map<?, ?> nested) {
                if (!matchesObject(Deployment.asMap(nested), field)) {
                    return false;
                }
            } else if (entry.getValue() instanceof List<?> alternatives) {
                if (!matchesAny(alternatives, field, present)) {
                    return false;
                }
            } else {
                throw new IllegalArgumentException("FilterCriteria: the value of " + entry.getKey()
                        + " must be an object or an array");
            }
        }
        return true;
    }

    private static boolean matchesAny(List<?> alternatives, Object field, boolean present) {
        List<?> values = field instanceof List<?> list ? list : java.util.Collections.singletonList(field);
        for (Object alternative : alternatives) {
            if (alternative instanceof Map<?, ?> rule) {
                if (matchesRule(Deployment.asMap(rule), values, present)) {
                    return true;
                }
            } else if (present && values.stream().anyMatch(value -> same(alternative, value))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesRule(Map<String, Object> rule, List<?> values, boolean present) {
        if (rule.size() != 1) {
            throw new IllegalArgumentException("FilterCriteria: a rule has one operator, got " + rule);
        }
        Map.Entry<String, Object> only = rule.entrySet().iterator().next();
        Object operand = only.getValue();
        switch (only.getKey()) {
            case "exists":
                return Boolean.TRUE.equals(operand) == (present && values.stream().anyMatch(v -> v != null));
            case "prefix":
                return present && values.stream().anyMatch(v -> v instanceof String s && s.startsWith(String.valueOf(operand)));
            case "suffix":
                return present && values.stream().anyMatch(v -> v instanceof String s && s.endsWith(String.valueOf(operand)));
            case "equals-ignore-case":
                return present && values.stream().anyMatch(v -> v instanceof String s && s.equalsIgnoreCase(String.valueOf(operand)));
            case "anything-but": {
                List<?> excluded = operand instanceof List<?> list ? list : List.of(operand);
                return present && values.stream().allMatch(v -> excluded.stream().noneMatch(e -> same(e, v)));
            }
            case "numeric":
                return present && values.stream().anyMatch(v -> numeric(operand, v));
            default:
                throw new IllegalArgumentException("FilterCriteria operator " + only.getKey() + " is not supported locally");
        }
    }

    private static boolean numeric(Object operand, Object value) {
        BigDecimal number = decimal(value);
        if (number == null || !(operand instanceof List<?> conditions) || conditions.size() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < conditions.size(); i += 2) {
            BigDecimal limit = decimal(conditions.get(i + 1));
            int compared = number.compareTo(limit);
            boolean holds = switch (String.valueOf(conditions.get(i))) {
                case "=" -> compared == 0;
                case "<" -> compared < 0;
                case "<=" -> compared <= 0;
                case ">" -> compared > 0;
                case ">=" -> compared >= 0;
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        BigDecimal a = expected instanceof Number ? decimal(expected) : null;
        BigDecimal b = actual instanceof Number ? decimal(actual) : null;
        if (a != null && b != null) {
            return a.compareTo(b) == 0;
        }
        return String.valueOf(expected).equals(String.valueOf(actual)) && (expected instanceof String) == (actual instanceof String);
    }

    private static BigDecimal decimal(Object value) {
        try {
            return value == null ? null : new BigDecimal(String.valueOf(value));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
