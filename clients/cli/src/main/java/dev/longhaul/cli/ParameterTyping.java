package dev.longhaul.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.longhaul.client.LonghaulClient;
import dev.longhaul.client.LonghaulException;
import dev.longhaul.client.TaskType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the {@code key=value} words of {@code submit} into JSON values: by the type's parameter
 * schema where the deployment publishes one ({@code GET /v1/task-types}), else by the value's form.
 * Range and required checks stay with the API, which names every bad field.
 */
final class ParameterTyping {
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    /** The object schema's {@code properties}, or null to type every value by its form. */
    private final JsonNode properties;

    private ParameterTyping(JsonNode properties) {
        this.properties = properties;
    }

    /** Typing by the value's form: integers, numbers, true/false, JSON objects and arrays, else strings. */
    static ParameterTyping byForm() {
        return new ParameterTyping(null);
    }

    /** Typing by a JSON Schema object schema ({@code properties} with {@code type} and {@code enum}). */
    static ParameterTyping bySchema(JsonNode schema) {
        JsonNode properties = schema == null ? null : schema.get("properties");
        return new ParameterTyping(properties != null && properties.isObject() ? properties : null);
    }

    /** The typing for {@code type}: its schema when the deployment has the task-types endpoint, else by form. */
    static ParameterTyping forType(LonghaulClient client, String type) {
        List<TaskType> types;
        try {
            types = client.taskTypes();
        } catch (LonghaulException e) {
            if (e.status() == 404) {
                return byForm();
            }
            throw e;
        }
        return types.stream().filter(t -> t.type().equals(type)).findFirst()
                .map(t -> bySchema(t.parameters()))
                .orElseGet(ParameterTyping::byForm);
    }

    /**
     * The value of parameter {@code name} written as {@code text}.
     *
     * @throws IllegalArgumentException naming the parameter, when the text does not fit its schema
     */
    Object value(String name, String text) {
        JsonNode property = properties == null ? null : properties.get(name);
        if (property == null || !property.isObject()) {
            return byForm(text);
        }
        Object value = typed(name, text, property);
        JsonNode allowed = property.get("enum");
        if (allowed != null && allowed.isArray() && !contains(allowed, value)) {
            List<String> names = new ArrayList<>();
            allowed.forEach(option -> names.add(option.isTextual() ? option.asText() : option.toString()));
            throw new IllegalArgumentException(name + " must be one of " + String.join(", ", names) + ", not '" + text + "'");
        }
        return value;
    }

    private static Object typed(String name, String text, JsonNode property) {
        List<String> types = types(property.get("type"));
        if (types.contains("null") && text.equals("null")) {
            return NullNode.getInstance();
        }
        String type = types.stream().filter(t -> !t.equals("null")).findFirst().orElse(null);
        if (type == null) {
            // an enum alone: the option written this way, whatever its JSON type
            JsonNode allowed = property.get("enum");
            if (allowed != null && allowed.isArray()) {
                for (JsonNode option : allowed) {
                    if (option.asText().equals(text)) {
                        return option;
                    }
                }
            }
            return byForm(text);
        }
        switch (type) {
            case "integer":
                if (!INTEGER.matcher(text).matches()) {
                    throw new IllegalArgumentException(name + " must be an integer, not '" + text + "'");
                }
                return integer(text);
            case "number":
                if (!NUMBER.matcher(text).matches()) {
                    throw new IllegalArgumentException(name + " must be a number, not '" + text + "'");
                }
                return INTEGER.matcher(text).matches() ? integer(text) : new BigDecimal(text);
            case "boolean":
                if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException(name + " must be true or false, not '" + text + "'");
                }
                return Boolean.valueOf(text);
            case "array":
                return array(name, text, property.get("items"));
            case "object":
                JsonNode object = json(text);
                if (object == null || !object.isObject()) {
                    throw new IllegalArgumentException(name + " must be a JSON object, not '" + text + "'");
                }
                return object;
            default:
                return text;
        }
    }

    /** A JSON array as it is, else the comma-separated items, each typed by {@code items}. */
    private static Object array(String name, String text, JsonNode items) {
        if (text.startsWith("[")) {
            JsonNode array = json(text);
            if (array == null || !array.isArray()) {
                throw new IllegalArgumentException(name + " must be a JSON array or comma-separated values, not '" + text + "'");
            }
            return array;
        }
        List<Object> values = new ArrayList<>();
        if (text.isEmpty()) {
            return values;
        }
        for (String item : text.split(",", -1)) {
            values.add(items != null && items.isObject() ? typed(name + "[]", item, items) : byForm(item));
        }
        return values;
    }

    static Object byForm(String text) {
        if (INTEGER.matcher(text).matches()) {
            return integer(text);
        }
        if (NUMBER.matcher(text).matches()) {
            return new BigDecimal(text);
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        if (text.startsWith("{") || text.startsWith("[")) {
            JsonNode json = json(text);
            if (json != null && json.isContainerNode()) {
                return json;
            }
        }
        return text;
    }

    private static Object integer(String text) {
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private static List<String> types(JsonNode type) {
        List<String> types = new ArrayList<>();
        if (type != null && type.isTextual()) {
            types.add(type.asText());
        } else if (type != null && type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        }
        return types;
    }

    private static boolean contains(JsonNode allowed, Object value) {
        JsonNode node = Output.MAPPER.valueToTree(value);
        for (JsonNode option : allowed) {
            if (option.equals(node) || option.isNumber() && node.isNumber()
                    && option.decimalValue().compareTo(node.decimalValue()) == 0) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode json(String text) {
        try {
            return Output.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
