package dev.longhaul.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The client's one Jackson mapper, and tolerant reads of members of a JSON tree. */
final class JsonCodec {
    /** Unknown members are tolerated everywhere: the task model grows. */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JsonCodec() {
    }

    /** The tree of a body; {@link MissingNode} for an empty or non-JSON one. */
    static JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not serializable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    static Integer integer(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isNumber() ? value.intValue() : null;
    }

    static long longValue(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isNumber() ? value.longValue() : 0;
    }

    static boolean bool(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.asBoolean(false);
    }

    /** An RFC 3339 instant; null when absent or not one (a future format must not break reading). */
    static Instant instant(JsonNode node, String name) {
        String text = text(node, name);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static List<String> strings(JsonNode node, String name) {
        JsonNode value = node.get(name);
        List<String> strings = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(item -> strings.add(item.asText()));
        }
        return List.copyOf(strings);
    }

    /** The member, or null when absent or JSON null. */
    static JsonNode member(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }
}
