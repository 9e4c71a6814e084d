package dev.longhaul.core.task;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a succeeded task produced: the stored object's media type and size in bytes. */
public record TaskResult(String contentType, long size) {
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contentType", contentType);
        m.put("size", size);
        return m;
    }
}
