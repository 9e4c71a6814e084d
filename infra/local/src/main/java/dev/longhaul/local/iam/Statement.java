package dev.longhaul.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One statement of a role's policies, every intrinsic evaluated and every resource in the form of
 * {@link ResourceArns}.
 *
 * @param conditions operator (such as {@code StringLike} or {@code ForAnyValue:StringEqualsIfExists})
 *                   to condition key to the values it accepts
 * @param source     which policy of the role it belongs to, as the report names it
 * @param index      its position in that policy
 * @param platform   true when SAM adds it for Lambda itself (logs, event source polling, failure
 *                   destinations) rather than for the function's code
 */
public record Statement(boolean allow, List<String> actions, boolean notAction, List<String> resources,
                        boolean notResource, Map<String, Map<String, List<String>>> conditions, String source,
                        int index, boolean platform) {

    public Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
        conditions.forEach((operator, keys) -> {
            Map<String, List<String>> values = new LinkedHashMap<>();
            keys.forEach((key, accepted) -> values.put(key, List.copyOf(accepted)));
            copy.put(operator, java.util.Collections.unmodifiableMap(values));
        });
        conditions = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * The statements of an evaluated policy document ({@code Statement} a map or a list of them).
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    static List<Statement> of(Object document, String source, boolean platform, ResourceArns arns) {
        if (!(document instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException(source + ": a policy document is a mapping, got " + document);
        }
        Object statements = fields.get("Statement");
        List<?> list = statements instanceof List<?> many ? many : statements == null ? List.of() : List.of(statements);
        List<Statement> parsed = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> statement)) {
                throw new IllegalArgumentException(source + " Statement[" + i + "] is not a mapping");
            }
            String effect = String.valueOf(statement.get("Effect"));
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new IllegalArgumentException(source + " Statement[" + i + "]: Effect must be Allow or Deny, got " + effect);
            }
            boolean notAction = statement.containsKey("NotAction");
            boolean notResource = statement.containsKey("NotResource");
            List<String> actions = strings(statement.get(notAction ? "NotAction" : "Action"));
            List<String> resources = strings(statement.get(notResource ? "NotResource" : "Resource")).stream()
                    .map(arns::canonical).toList();
            parsed.add(new Statement(effect.equals("Allow"), actions, notAction, resources, notResource,
                    conditions(statement.get("Condition"), source + " Statement[" + i + "]"), source, i, platform));
        }
        return parsed;
    }

    private static Map<String, Map<String, List<String>>> conditions(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> byOperator)) {
            throw new IllegalArgumentException(where + ": Condition must be a mapping");
        }
        Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
        byOperator.forEach((operator, keys) -> {
            if (!(keys instanceof Map<?, ?> byKey)) {
                throw new IllegalArgumentException(where + ": Condition " + operator + " must map keys to values");
            }
            Map<String, List<String>> values = new LinkedHashMap<>();
            byKey.forEach((key, accepted) -> values.put(String.valueOf(key), strings(accepted)));
            conditions.put(String.valueOf(operator), values);
        });
        return conditions;
    }

    static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    /** How the report names this statement: its policy and position. */
    String where() {
        return source + " Statement[" + index + "]";
    }
}
