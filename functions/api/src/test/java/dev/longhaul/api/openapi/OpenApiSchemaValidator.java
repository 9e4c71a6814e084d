package dev.longhaul.api.openapi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates JSON values (as {@code dev.longhaul.core.json.Json} or SnakeYAML produce them) against
 * the subset of JSON Schema 2020-12 that openapi.yaml uses. A keyword outside that subset is an
 * error, not ignored: the document cannot say more than the tests check.
 */
final class OpenApiSchemaValidator {
    private static final Set<String> ANNOTATIONS = Set.of(
            "description", "title", "example", "examples", "default", "discriminator", "deprecated",
            "readOnly", "writeOnly", "$comment");
    private static final Set<String> ASSERTIONS = Set.of(
            "$ref", "type", "properties", "required", "additionalProperties", "items", "enum", "const",
            "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "format",
            "oneOf", "anyOf", "allOf");
    private static final Set<String> FORMATS = Set.of("date-time", "uri");

    private final Map<String, Object> document;

    OpenApiSchemaValidator(Map<String, Object> document) {
        this.document = document;
    }

    /** Every way {@code value} breaks {@code schema}, each prefixed with its JSON path; empty when valid. */
    List<String> validate(Object schema, Object value) {
        List<String> errors = new ArrayList<>();
        validate(schema, value, "$", errors);
        return errors;
    }

    boolean isValid(Object schema, Object value) {
        return validate(schema, value).isEmpty();
    }

    /** Throws when {@code schema}, or a schema inside it, uses a keyword this validator does not check. */
    void requireSupportedKeywords(Object schema, String where) {
        requireSupportedKeywords(schema, where, new HashSet<>());
    }

    private void requireSupportedKeywords(Object schema, String where, Set<String> visitedRefs) {
        Map<String, Object> s = schemaMap(schema, where);
        for (Map.Entry<String, Object> e : s.entrySet()) {
            String keyword = e.getKey();
            if (!ANNOTATIONS.contains(keyword) && !ASSERTIONS.contains(keyword)) {
                throw new IllegalStateException(where + ": unsupported schema keyword '" + keyword + "'");
            }
            Object v = e.getValue();
            switch (keyword) {
                case "properties" -> map(v, where).forEach((name, sub) ->
                        requireSupportedKeywords(sub, where + "/properties/" + name, visitedRefs));
                case "items" -> requireSupportedKeywords(v, where + "/items", visitedRefs);
                case "additionalProperties" -> {
                    if (!(v instanceof Boolean)) {
                        requireSupportedKeywords(v, where + "/additionalProperties", visitedRefs);
                    }
                }
                case "oneOf", "anyOf", "allOf" -> {
                    List<?> branches = list(v, where + "/" + keyword);
                    for (int i = 0; i < branches.size(); i++) {
                        requireSupportedKeywords(branches.get(i), where + "/" + keyword + "/" + i, visitedRefs);
                    }
                }
                case "format" -> {
                    if (!FORMATS.contains(v)) {
                        throw new IllegalStateException(where + ": unsupported format '" + v + "'");
                    }
                }
                case "$ref" -> {
                    if (visitedRefs.add((String) v)) {
                        requireSupportedKeywords(resolve((String) v), (String) v, visitedRefs);
                    }
                }
                default -> {
                }
            }
        }
    }

    /** The object a local reference such as {@code #/components/schemas/Task} points at. */
    Object resolve(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalStateException("only local references are supported: " + ref);
        }
        Object node = document;
        for (String part : ref.substring(2).split("/")) {
            String name = part.replace("~1", "/").replace("~0", "~");
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(name)) {
                throw new IllegalStateException("unresolvable reference " + ref);
            }
            node = m.get(name);
        }
        return node;
    }

    private void validate(Object schema, Object value, String path, List<String> errors) {
        Map<String, Object> s = schemaMap(schema, path);
        for (String keyword : s.keySet()) {
            if (!ANNOTATIONS.contains(keyword) && !ASSERTIONS.contains(keyword)) {
                throw new IllegalStateException("unsupported schema keyword '" + keyword + "' at " + path);
            }
        }
        if (s.containsKey("$ref")) {
            validate(resolve((String) s.get("$ref")), value, path, errors);
        }
        if (s.containsKey("type") && !hasType(s.get("type"), value)) {
            errors.add(path + ": " + describe(value) + " is not of type " + s.get("type"));
            return;
        }
        if (s.containsKey("const") && !jsonEquals(s.get("const"), value)) {
            errors.add(path + ": " + describe(value) + " is not " + s.get("const"));
        }
        if (s.containsKey("enum") && list(s.get("enum"), path).stream().noneMatch(c -> jsonEquals(c, value))) {
            errors.add(path + ": " + describe(value) + " is not one of " + s.get("enum"));
        }
        if (value instanceof String text) {
            validateString(s, text, path, errors);
        }
        if (value instanceof Number number && !(value instanceof Boolean)) {
            validateNumber(s, number, path, errors);
        }
        if (value instanceof Map<?, ?> object) {
            validateObject(s, object, path, errors);
        }
        if (value instanceof List<?> array) {
            validateArray(s, array, path, errors);
        }
        if (s.containsKey("allOf")) {
            for (Object branch : list(s.get("allOf"), path)) {
                validate(branch, value, path, errors);
            }
        }
        if (s.containsKey("anyOf")) {
            List<String> all = new ArrayList<>();
            boolean matched = false;
            for (Object branch : list(s.get("anyOf"), path)) {
                List<String> branchErrors = validate(branch, value);
                matched |= branchErrors.isEmpty();
                all.addAll(branchErrors);
            }
            if (!matched) {
                errors.add(path + ": matches no anyOf branch " + relocate(all, path));
            }
        }
        if (s.containsKey("oneOf")) {
            List<String> all = new ArrayList<>();
            int matches = 0;
            for (Object branch : list(s.get("oneOf"), path)) {
                List<String> branchErrors = validate(branch, value);
                if (branchErrors.isEmpty()) {
                    matches++;
                }
                all.addAll(branchErrors);
            }
            if (matches == 0) {
                errors.add(path + ": matches no oneOf branch " + relocate(all, path));
            } else if (matches > 1) {
                errors.add(path + ": matches " + matches + " oneOf branches, exactly one allowed");
            }
        }
    }

    private void validateString(Map<String, Object> s, String text, String path, List<String> errors) {
        int length = text.codePointCount(0, text.length());
        if (s.containsKey("minLength") && length < number(s.get("minLength")).intValue()) {
            errors.add(path + ": shorter than " + s.get("minLength"));
        }
        if (s.containsKey("maxLength") && length > number(s.get("maxLength")).intValue()) {
            errors.add(path + ": longer than " + s.get("maxLength"));
        }
        if (s.containsKey("pattern") && !Pattern.compile((String) s.get("pattern")).matcher(text).find()) {
            errors.add(path + ": " + describe(text) + " does not match " + s.get("pattern"));
        }
        Object format = s.get("format");
        if ("date-time".equals(format)) {
            try {
                OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                errors.add(path + ": " + describe(text) + " is not a date-time");
            }
        } else if ("uri".equals(format)) {
            try {
                if (!new URI(text).isAbsolute()) {
                    errors.add(path + ": " + describe(text) + " is not an absolute URI");
                }
            } catch (URISyntaxException e) {
                errors.add(path + ": " + describe(text) + " is not a URI");
            }
        } else if (format != null) {
            throw new IllegalStateException("unsupported format '" + format + "' at " + path);
        }
    }

    private static void validateNumber(Map<String, Object> s, Number value, String path, List<String> errors) {
        BigDecimal n = decimal(value);
        if (s.containsKey("minimum") && n.compareTo(decimal(number(s.get("minimum")))) < 0) {
            errors.add(path + ": " + value + " is less than " + s.get("minimum"));
        }
        if (s.containsKey("maximum") && n.compareTo(decimal(number(s.get("maximum")))) > 0) {
            errors.add(path + ": " + value + " is more than " + s.get("maximum"));
        }
    }

    private void validateObject(Map<String, Object> s, Map<?, ?> object, String path, List<String> errors) {
        if (s.containsKey("required")) {
            for (Object name : list(s.get("required"), path)) {
                if (!object.containsKey(name)) {
                    errors.add(path + ": required member '" + name + "' is missing");
                }
            }
        }
        Map<String, Object> properties = s.containsKey("properties") ? map(s.get("properties"), path) : Map.of();
        Object additional = s.get("additionalProperties");
        for (Map.Entry<?, ?> member : object.entrySet()) {
            String name = String.valueOf(member.getKey());
            String at = path + "." + name;
            if (properties.containsKey(name)) {
                validate(properties.get(name), member.getValue(), at, errors);
            } else if (Boolean.FALSE.equals(additional)) {
                errors.add(path + ": member '" + name + "' is not allowed");
            } else if (additional != null && !(additional instanceof Boolean)) {
                validate(additional, member.getValue(), at, errors);
            }
        }
    }

    private void validateArray(Map<String, Object> s, List<?> array, String path, List<String> errors) {
        if (s.containsKey("minItems") && array.size() < number(s.get("minItems")).intValue()) {
            errors.add(path + ": fewer than " + s.get("minItems") + " items");
        }
        if (s.containsKey("maxItems") && array.size() > number(s.get("maxItems")).intValue()) {
            errors.add(path + ": more than " + s.get("maxItems") + " items");
        }
        if (s.containsKey("items")) {
            for (int i = 0; i < array.size(); i++) {
                validate(s.get("items"), array.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static boolean hasType(Object type, Object value) {
        if (type instanceof Collection<?> types) {
            return types.stream().anyMatch(t -> hasType(t, value));
        }
        return switch (String.valueOf(type)) {
            case "null" -> value == null;
            case "boolean" -> value instanceof Boolean;
            case "string" -> value instanceof String;
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "number" -> value instanceof Number;
            case "integer" -> value instanceof Number n && isIntegral(n);
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }

    private static boolean isIntegral(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof BigInteger) {
            return true;
        }
        BigDecimal d = decimal(n);
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    /** JSON equality: numbers by value, whatever their Java type. */
    static boolean jsonEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.size() == y.size() && x.entrySet().stream()
                    .allMatch(e -> y.containsKey(e.getKey()) && jsonEquals(e.getValue(), y.get(e.getKey())));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!jsonEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    private static Number number(Object value) {
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("expected a number in the schema, got " + value);
        }
        return n;
    }

    private static List<String> relocate(List<String> branchErrors, String path) {
        List<String> out = new ArrayList<>(branchErrors.size());
        for (String e : branchErrors) {
            out.add(e.startsWith("$") ? path + e.substring(1) : e);
        }
        return out;
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schemaMap(Object schema, String where) {
        if (!(schema instanceof Map)) {
            throw new IllegalStateException("schema at " + where + " is not an object: " + schema);
        }
        return (Map<String, Object>) schema;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalStateException("expected an object at " + where);
        }
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value, String where) {
        if (!(value instanceof List<?> l)) {
            throw new IllegalStateException("expected an array at " + where);
        }
        return l;
    }
}
