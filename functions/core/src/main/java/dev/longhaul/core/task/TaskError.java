package dev.longhaul.core.task;

import java.util.LinkedHashMap;
import java.util.Map;

/** Why a task or an attempt failed: a stable machine code and a message meant for the owner. */
public record TaskError(String code, String message) {
    public static final int MAX_MESSAGE_LENGTH = 1024;

    public TaskError {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("error code is required");
        }
        message = message == null ? "" : message.length() > MAX_MESSAGE_LENGTH
                ? message.substring(0, MAX_MESSAGE_LENGTH) : message;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }
}
