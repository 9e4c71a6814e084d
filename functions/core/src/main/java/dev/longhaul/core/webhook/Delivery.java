package dev.longhaul.core.webhook;

import dev.longhaul.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message to send to one subscription, as queued. It names the subscription rather than
 * carrying its URL and secret, so an unsubscribed target stops receiving and no secret sits in
 * the queue.
 *
 * @param webhookId      the {@code webhook-id} header: the same on every attempt, so receivers
 *                       can drop duplicates
 * @param subscriptionId the owner's subscription, or {@link #CALLBACK} for the task's callback
 * @param payload        the exact body to send
 */
public record Delivery(String webhookId, String taskId, String owner, String subscriptionId, WebhookEvent event,
                       String payload) {
    public static final String CALLBACK = "callback";

    public Delivery {
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(payload, "payload");
    }

    public static String webhookId(String taskId, String subscriptionId) {
        return "msg_" + taskId + "_" + subscriptionId;
    }

    public boolean isCallback() {
        return CALLBACK.equals(subscriptionId);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("webhookId", webhookId);
        m.put("taskId", taskId);
        m.put("owner", owner);
        m.put("subscriptionId", subscriptionId);
        m.put("event", event.wire());
        m.put("payload", payload);
        return m;
    }

    /** @throws IllegalArgumentException when the map is not a delivery */
    public static Delivery fromJson(Map<String, Object> map) {
        JsonObject o = JsonObject.of(map);
        WebhookEvent event = WebhookEvent.fromWire(o.string("event"));
        if (event == null) {
            throw new IllegalArgumentException("unknown webhook event");
        }
        try {
            return new Delivery(o.string("webhookId"), o.string("taskId"), o.string("owner"),
                    o.string("subscriptionId"), event, o.string("payload"));
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("incomplete delivery: " + e.getMessage());
        }
    }
}
