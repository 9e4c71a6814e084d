package dev.longhaul.local.iam;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * IAM's evaluation of identity-based policies for one access: an explicit {@code Deny} wins, else
 * an {@code Allow} whose action, resource and conditions all match allows, else the access is
 * implicitly denied. Actions match case-insensitively with {@code *} and {@code ?}; resources match
 * ARN component by component, case-sensitively, a wildcard never crossing a {@code :} before the
 * resource part. Condition operators are IAM's (string, numeric, date, Bool, Null, ARN, with
 * {@code IfExists} and the {@code ForAnyValue:}/{@code ForAllValues:} qualifiers); a condition on a
 * key the local cloud does not know fails closed, and is reported.
 */
final class PolicyEvaluator {

    enum Outcome { ALLOWED, IMPLICIT_DENY, EXPLICIT_DENY }

    /** One statement that matched, with the action and resource entries that did. */
    record Match(Statement statement, String actionPattern, String resourcePattern) {
    }

    /**
     * @param allowedBy every Allow statement that matched (each one counts as used)
     * @param deniedBy  the Deny statement that matched, for an explicit deny
     * @param unknownKeys condition keys the local cloud cannot evaluate that decided a statement
     */
    record Decision(Outcome outcome, List<Match> allowedBy, Statement deniedBy, Set<String> unknownKeys) {
        boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    private PolicyEvaluator() {
    }

    static Decision evaluate(ExecutionRole role, AwsCalls.Access access, Map<String, String> globalContext) {
        List<Match> allows = new ArrayList<>();
        Set<String> unknown = new LinkedHashSet<>();
        String service = access.action().substring(0, Math.max(0, access.action().indexOf(':')));
        for (Statement statement : role.statements()) {
            String action = matchingAction(statement, access.action());
            if (action == null) {
                continue;
            }
            String resource = matchingResource(statement, access.resource());
            if (resource == null) {
                continue;
            }
            Boolean conditions = conditions(statement, access.context(), globalContext, service, unknown);
            if (conditions == null) {
                // an unknown key decides: fail closed (an Allow does not allow, a Deny denies)
                if (!statement.allow()) {
                    return new Decision(Outcome.EXPLICIT_DENY, List.of(), statement, unknown);
                }
                continue;
            }
            if (!conditions) {
                continue;
            }
            if (!statement.allow()) {
                return new Decision(Outcome.EXPLICIT_DENY, List.of(), statement, unknown);
            }
            allows.add(new Match(statement, action, resource));
        }
        return allows.isEmpty() ? new Decision(Outcome.IMPLICIT_DENY, List.of(), null, unknown)
                : new Decision(Outcome.ALLOWED, List.copyOf(allows), null, unknown);
    }

    /** The Action entry that matches (or the NotAction marker), or null. */
    private static String matchingAction(Statement statement, String action) {
        for (String pattern : statement.actions()) {
            if (glob(pattern.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT))) {
                return statement.notAction() ? null : pattern;
            }
        }
        return statement.notAction() ? "NotAction " + statement.actions() : null;
    }

    /** The Resource entry that matches (or the NotResource marker), or null; an undetermined resource matches any entry. */
    private static String matchingResource(Statement statement, String resource) {
        if (resource == null) {
            return statement.notResource() || statement.resources().isEmpty() ? null : statement.resources().get(0);
        }
        for (String pattern : statement.resources()) {
            if (arnMatches(pattern, resource)) {
                return statement.notResource() ? null : pattern;
            }
        }
        return statement.notResource() ? "NotResource " + statement.resources() : null;
    }

    static boolean arnMatches(String pattern, String arn) {
        if (pattern.equals("*")) {
            return true;
        }
        String[] patternParts = pattern.split(":", 6);
        String[] arnParts = arn.split(":", 6);
        if (patternParts.length != 6 || arnParts.length != 6) {
            // not both ARNs: an ARN pattern of fewer parts names no ARN; anything else compares whole
            return !pattern.startsWith("arn:") && !arn.startsWith("arn:") && glob(pattern, arn);
        }
        for (int i = 0; i < 6; i++) {
            if (!glob(patternParts[i], arnParts[i])) {
                return false;
            }
        }
        return true;
    }

    /** {@code *} any run of characters, {@code ?} one character; everything else literal. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** True when every condition holds, false when one does not, null when an unknown key decides. */
    private static Boolean conditions(Statement statement, Map<String, String> request, Map<String, String> global,
                                      String service, Set<String> unknown) {
        boolean undecided = false;
        for (Map.Entry<String, Map<String, List<String>>> byOperator : statement.conditions().entrySet()) {
            for (Map.Entry<String, List<String>> condition : byOperator.getValue().entrySet()) {
                String key = condition.getKey();
                String value = request.containsKey(key) ? request.get(key) : lookup(global, key);
                if (value == null && !known(key, service)) {
                    unknown.add(key);
                    undecided = true;
                    continue;
                }
                boolean holds;
                try {
                    holds = holds(byOperator.getKey(), value, condition.getValue());
                } catch (IllegalArgumentException | java.time.DateTimeException e) {
                    unknown.add(byOperator.getKey() + " " + key);
                    undecided = true;
                    continue;
                }
                if (!holds) {
                    return false;
                }
            }
        }
        return undecided ? null : true;
    }

    private static String lookup(Map<String, String> global, String key) {
        for (Map.Entry<String, String> entry : global.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static boolean known(String key, String service) {
        return AwsCalls.GLOBAL_KEYS.stream().anyMatch(global -> global.equalsIgnoreCase(key))
                || AwsCalls.KNOWN_KEYS.getOrDefault(service, List.of()).stream().anyMatch(k -> k.equalsIgnoreCase(key));
    }

    /** One condition: {@code value} is the request's (null when the key is absent from it). */
    static boolean holds(String operator, String value, List<String> accepted) {
        String op = operator;
        if (op.startsWith("ForAnyValue:") || op.startsWith("ForAllValues:")) {
            boolean all = op.startsWith("ForAllValues:");
            op = op.substring(op.indexOf(':') + 1);
            if (value == null) {
                // ForAllValues over no values is true; ForAnyValue over none is false
                return all;
            }
        }
        boolean ifExists = op.endsWith("IfExists");
        if (ifExists) {
            op = op.substring(0, op.length() - "IfExists".length());
        }
        if (op.equals("Null")) {
            boolean wantsAbsent = accepted.stream().anyMatch(v -> v.equalsIgnoreCase("true"));
            return wantsAbsent == (value == null);
        }
        boolean negated = op.contains("Not");
        if (value == null) {
            return ifExists || negated;
        }
        boolean any = switch (op.replace("Not", "")) {
            case "StringEquals" -> accepted.contains(value);
            case "StringEqualsIgnoreCase" -> accepted.stream().anyMatch(value::equalsIgnoreCase);
            case "StringLike" -> accepted.stream().anyMatch(pattern -> glob(pattern, value));
            case "ArnEquals", "ArnLike" -> accepted.stream().anyMatch(pattern -> arnMatches(pattern, value));
            case "Bool" -> accepted.stream().anyMatch(v -> v.equalsIgnoreCase(value));
            case "NumericEquals" -> accepted.stream().anyMatch(v -> compare(value, v) == 0);
            case "NumericLessThan" -> accepted.stream().anyMatch(v -> compare(value, v) < 0);
            case "NumericLessThanEquals" -> accepted.stream().anyMatch(v -> compare(value, v) <= 0);
            case "NumericGreaterThan" -> accepted.stream().anyMatch(v -> compare(value, v) > 0);
            case "NumericGreaterThanEquals" -> accepted.stream().anyMatch(v -> compare(value, v) >= 0);
            case "DateEquals" -> accepted.stream().anyMatch(v -> date(value).equals(date(v)));
            case "DateLessThan" -> accepted.stream().anyMatch(v -> date(value).isBefore(date(v)));
            case "DateLessThanEquals" -> accepted.stream().anyMatch(v -> !date(value).isAfter(date(v)));
            case "DateGreaterThan" -> accepted.stream().anyMatch(v -> date(value).isAfter(date(v)));
            case "DateGreaterThanEquals" -> accepted.stream().anyMatch(v -> !date(value).isBefore(date(v)));
            default -> throw new IllegalArgumentException("Condition operator " + operator + " is not supported locally");
        };
        return negated != any;
    }

    private static int compare(String left, String right) {
        return new BigDecimal(left.trim()).compareTo(new BigDecimal(right.trim()));
    }

    private static Instant date(String value) {
        String trimmed = value.trim();
        return trimmed.chars().allMatch(Character::isDigit) ? Instant.ofEpochSecond(Long.parseLong(trimmed))
                : Instant.parse(trimmed);
    }
}
