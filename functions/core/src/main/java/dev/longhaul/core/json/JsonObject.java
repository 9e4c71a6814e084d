package dev.longhaul.core.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Typed reads from a parsed JSON object; absent and null read as null. */
public final class JsonObject {
    private final Map<String, Object> map;

    private JsonObject(Map<String, Object> map) {
        this.map = map;
    }

    public static JsonObject of(Map<String, Object> map) {
        return new JsonObject(map == null ? Map.of() : map);
    }

    public Map<String, Object> map() {
        return map;
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    public String string(String key) {
        Object v = map.get(key);
        return v instanceof String ? (String) v : v == null ? null : String.valueOf(v);
    }

    public Long longValue(String key) {
        Object v = map.get(key);
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger || v instanceof BigDecimal) {
            try {
                return new BigDecimal(v.toString()).longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (v instanceof String) {
            try {
                return Long.parseLong((String) v);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    public boolean bool(String key) {
        Object v = map.get(key);
        return Boolean.TRUE.equals(v) || "true".equals(v);
    }

    public Instant instant(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    public JsonObject object(String key) {
        Object v = map.get(key);
        return v instanceof Map ? new JsonObject((Map<String, Object>) v) : null;
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String key) {
        Object v = map.get(key);
        return v instanceof List ? (List<Object>) v : List.of();
    }
}
