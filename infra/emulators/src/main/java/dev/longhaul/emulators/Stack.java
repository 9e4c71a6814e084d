package dev.longhaul.emulators;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link Provisioner} created from a template, and the evaluation of the template's intrinsic
 * functions against it. Functions read their configuration through {@link #functionEnvironment},
 * so no resource name is repeated in Java.
 */
public final class Stack {

    public static final String ACCOUNT_ID = "000000000000";

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    /** What {@code !Ref AWS::NoValue} evaluates to: the enclosing property or list item disappears. */
    private static final Object NO_VALUE = new Object();

    private final String name;
    private final String region;
    private final SamTemplate template;
    private final Map<String, Object> parameters;
    private final Map<String, ProvisionedResource> resources = new LinkedHashMap<>();
    private final Map<String, Boolean> conditions = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    Stack(String name, String region, SamTemplate template, Map<String, Object> parameters) {
        this.name = name;
        this.region = region;
        this.template = template;
        this.parameters = parameters;
    }

    void add(ProvisionedResource resource) {
        resources.put(resource.logicalId(), resource);
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    public String name() {
        return name;
    }

    public String region() {
        return region;
    }

    public SamTemplate template() {
        return template;
    }

    /**
     * What the resource's {@code !Ref} gives: the table name, the queue URL or the bucket name.
     *
     * @throws NoSuchElementException if the resource was not provisioned locally
     */
    public String physicalId(String logicalId) {
        return provisioned(logicalId).physicalId();
    }

    /** What {@code !GetAtt logicalId.attribute} gives, such as a table's {@code StreamArn}. */
    public String attribute(String logicalId, String attribute) {
        String value = provisioned(logicalId).attributes().get(attribute);
        if (value == null) {
            throw new NoSuchElementException(logicalId + " has no attribute " + attribute + " locally; known: "
                    + provisioned(logicalId).attributes().keySet());
        }
        return value;
    }

    /** Logical ids of the resources created (or found) locally, in creation order. */
    public Set<String> provisionedResources() {
        return Collections.unmodifiableSet(resources.keySet());
    }

    /** Resources not provisioned and properties not applied, each with its reason. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The evaluated value of the named entry of the template's {@code Conditions}. */
    public boolean condition(String conditionName) {
        Boolean known = conditions.get(conditionName);
        if (known != null) {
            return known;
        }
        Object definition = template.conditions().get(conditionName);
        if (definition == null) {
            throw new NoSuchElementException("No condition " + conditionName + " in the template");
        }
        boolean value = asBoolean(resolve(definition));
        conditions.put(conditionName, value);
        return value;
    }

    /**
     * Evaluates every intrinsic function in {@code value}, recursively: the result holds only strings,
     * numbers, booleans, lists and maps. Properties and list items that are {@code !Ref AWS::NoValue}
     * are dropped; a top-level {@code AWS::NoValue} gives {@code null}.
     */
    public Object resolve(Object value) {
        Object resolved = evaluate(value);
        return resolved == NO_VALUE ? null : resolved;
    }

    /** {@link #resolve} for a value that must be a scalar, as its string. */
    public String resolveString(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof Map<?, ?> || resolved instanceof List<?>) {
            throw new IllegalArgumentException("Expected a scalar, got " + resolved);
        }
        return resolved == null ? null : String.valueOf(resolved);
    }

    /**
     * The function's {@code Environment.Variables}, {@code Globals.Function} merged in, every value
     * evaluated to a string.
     */
    public Map<String, String> functionEnvironment(String functionLogicalId) {
        Map<String, Object> properties = template.functionProperties(functionLogicalId);
        Object environment = properties.get("Environment");
        Object variables = environment instanceof Map<?, ?> map ? map.get("Variables") : null;
        if (variables == null) {
            return Map.of();
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        SamTemplate.asMap(variables, functionLogicalId + ".Environment.Variables").forEach((key, item) -> {
            Object value = evaluate(item);
            if (value == NO_VALUE) {
                return;
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                throw new IllegalArgumentException(functionLogicalId + " variable " + key
                        + " must evaluate to a string, got " + value);
            }
            resolved.put(key, String.valueOf(value));
        });
        return Collections.unmodifiableMap(resolved);
    }

    private ProvisionedResource provisioned(String logicalId) {
        ProvisionedResource resource = resources.get(logicalId);
        if (resource == null) {
            String why = template.resources().containsKey(logicalId)
                    ? " is a " + template.resource(logicalId).type() + ", not provisioned locally"
                    : " is not a resource of the template";
            throw new NoSuchElementException(logicalId + why);
        }
        return resource;
    }

    private Object evaluate(Object value) {
        if (value instanceof Intrinsic.Ref ref) {
            return ref(ref.name());
        }
        if (value instanceof Intrinsic.GetAtt getAtt) {
            return attribute(getAtt.resource(), getAtt.attribute());
        }
        if (value instanceof Intrinsic.Sub sub) {
            return substitute(sub);
        }
        if (value instanceof Intrinsic.Fn fn) {
            return function(fn);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((key, item) -> {
                Object evaluated = evaluate(item);
                if (evaluated != NO_VALUE) {
                    resolved.put(String.valueOf(key), evaluated);
                }
            });
            return Collections.unmodifiableMap(resolved);
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : list) {
                Object evaluated = evaluate(item);
                if (evaluated != NO_VALUE) {
                    resolved.add(evaluated);
                }
            }
            return Collections.unmodifiableList(resolved);
        }
        return value;
    }

    private Object ref(String refName) {
        switch (refName) {
            case "AWS::Region":
                return region;
            case "AWS::AccountId":
                return ACCOUNT_ID;
            case "AWS::StackName":
                return name;
            case "AWS::StackId":
                return "arn:aws:cloudformation:" + region + ":" + ACCOUNT_ID + ":stack/" + name + "/local";
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::NotificationARNs":
                return List.of();
            case "AWS::NoValue":
                return NO_VALUE;
            default:
                break;
        }
        if (parameters.containsKey(refName)) {
            return parameters.get(refName);
        }
        if (template.parameters().containsKey(refName)) {
            throw new IllegalStateException("Parameter " + refName
                    + " has no default and was given no value: pass it as a parameter override");
        }
        return physicalId(refName);
    }

    private String substitute(Intrinsic.Sub sub) {
        Matcher matcher = SUB_VARIABLE.matcher(sub.template());
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String replacement;
            if (variable.startsWith("!")) {
                replacement = "${" + variable.substring(1) + "}";
            } else if (sub.variables().containsKey(variable)) {
                replacement = scalar(evaluate(sub.variables().get(variable)), "Fn::Sub variable " + variable);
            } else if (variable.contains(".")) {
                int dot = variable.indexOf('.');
                replacement = attribute(variable.substring(0, dot), variable.substring(dot + 1));
            } else {
                replacement = scalar(ref(variable), "Fn::Sub variable " + variable);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private Object function(Intrinsic.Fn fn) {
        String function = fn.name();
        if (function.equals("Condition")) {
            return condition(String.valueOf(fn.args()));
        }
        if (function.equals("Fn::If")) {
            // Only the branch taken is evaluated, as CloudFormation does.
            List<?> args = arguments(fn, 3);
            return condition(String.valueOf(args.get(0))) ? evaluate(args.get(1)) : evaluate(args.get(2));
        }
        Object args = evaluate(function.equals("Fn::And") || function.equals("Fn::Or") || function.equals("Fn::Not")
                ? conditionReferences(fn.args()) : fn.args());
        switch (function) {
            case "Fn::Join": {
                List<?> list = asList(args, fn, 2);
                List<String> parts = new ArrayList<>();
                for (Object part : asList(list.get(1), fn, -1)) {
                    parts.add(scalar(part, function));
                }
                return String.join(scalar(list.get(0), function), parts);
            }
            case "Fn::Select": {
                List<?> list = asList(args, fn, 2);
                List<?> from = asList(list.get(1), fn, -1);
                int index = Integer.parseInt(scalar(list.get(0), function));
                if (index < 0 || index >= from.size()) {
                    throw new IllegalArgumentException("Fn::Select index " + index + " out of " + from);
                }
                return from.get(index);
            }
            case "Fn::Split": {
                List<?> list = asList(args, fn, 2);
                return List.of(scalar(list.get(1), function).split(Pattern.quote(scalar(list.get(0), function)), -1));
            }
            case "Fn::Equals": {
                List<?> list = asList(args, fn, 2);
                return scalar(list.get(0), function).equals(scalar(list.get(1), function));
            }
            case "Fn::Not":
                return !asBoolean(asList(args, fn, 1).get(0));
            case "Fn::And":
                return asList(args, fn, -1).stream().allMatch(Stack::asBoolean);
            case "Fn::Or":
                return asList(args, fn, -1).stream().anyMatch(Stack::asBoolean);
            case "Fn::FindInMap": {
                List<?> list = asList(args, fn, 3);
                Object found = template.mappings();
                for (Object key : list) {
                    String step = scalar(key, function);
                    found = found instanceof Map<?, ?> map ? map.get(step) : null;
                    if (found == null) {
                        throw new NoSuchElementException("Fn::FindInMap found nothing at " + list);
                    }
                }
                return found;
            }
            case "Fn::Base64":
                return Base64.getEncoder().encodeToString(scalar(args, function).getBytes(StandardCharsets.UTF_8));
            case "Fn::GetAZs":
                return List.of(region + "a", region + "b", region + "c");
            default:
                throw new UnsupportedOperationException(function + " has no local meaning");
        }
    }

    /** Inside Fn::And, Fn::Or and Fn::Not, the long form {@code {"Condition": name}} names a condition. */
    private static Object conditionReferences(Object args) {
        if (!(args instanceof List<?> list)) {
            return args;
        }
        List<Object> converted = new ArrayList<>(list.size());
        for (Object item : list) {
            if (item instanceof Map<?, ?> map && map.size() == 1 && map.containsKey("Condition")) {
                converted.add(new Intrinsic.Fn("Condition", map.get("Condition")));
            } else {
                converted.add(item);
            }
        }
        return converted;
    }

    private static List<?> arguments(Intrinsic.Fn fn, int size) {
        return asList(fn.args(), fn, size);
    }

    private static List<?> asList(Object value, Intrinsic.Fn fn, int size) {
        if (value instanceof List<?> list && (size < 0 || list.size() == size)) {
            return list;
        }
        throw new IllegalArgumentException(fn.name() + " expects a list" + (size < 0 ? "" : " of " + size)
                + ", got " + value);
    }

    private static boolean asBoolean(Object value) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        return Boolean.parseBoolean(String.valueOf(value));
    }

    private static String scalar(Object value, String where) {
        if (value == NO_VALUE || value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException(where + " expects a string, got " + value);
        }
        return String.valueOf(value);
    }

    /** One resource as created: what {@code !Ref} and {@code !GetAtt} give for it. */
    record ProvisionedResource(String logicalId, String type, String physicalId, Map<String, String> attributes) {
        ProvisionedResource {
            attributes = Map.copyOf(attributes);
        }
    }
}
