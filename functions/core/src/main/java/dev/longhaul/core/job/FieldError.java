package dev.longhaul.core.job;

import java.util.LinkedHashMap;
import java.util.Map;

/** One invalid field of a request, by its JSON path (for example {@code parameters.rows}). */
public record FieldError(String field, String message) {
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("message", message);
        return m;
    }
}
