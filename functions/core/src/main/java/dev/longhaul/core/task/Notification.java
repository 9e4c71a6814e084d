package dev.longhaul.core.task;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt to deliver a webhook about a task.
 *
 * @param statusCode the receiver's HTTP status, or null when no response came back
 * @param outcome    {@code delivered}, {@code retrying}, {@code failed} (given up) or {@code refused}
 */
public record Notification(Instant at, String event, String subscriptionId, int attempt, Integer statusCode,
                           String outcome) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", at);
        m.put("event", event);
        m.put("subscriptionId", subscriptionId);
        m.put("attempt", attempt);
        m.put("statusCode", statusCode);
        m.put("outcome", outcome);
        return m;
    }
}
