package dev.longhaul.core.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where to send which events of an owner's tasks, and the secret the deliveries are signed with.
 * A one-off subscription (a task's {@code callbackUrl}) has a {@code taskId} and gets every
 * terminal event of that task only.
 *
 * @param secret {@code whsec_} followed by the base64 key; shown to the owner once, at creation.
 *               Null where it was not read: listings leave it out, and so does a store that cannot
 *               decrypt it (the notifier's, which only needs to know who is subscribed)
 * @param taskId null for an owner-wide subscription
 */
public record Subscription(String id, String owner, String url, Set<WebhookEvent> events, String secret,
                           Instant createdAt, String taskId) {

    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(url, "url");
        events = events == null || events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
    }

    /** The same subscription without its secret. */
    public Subscription withoutSecret() {
        return new Subscription(id, owner, url, events, null, createdAt, taskId);
    }

    public boolean isOneOff() {
        return taskId != null;
    }

    public boolean wants(WebhookEvent event) {
        return events.contains(event);
    }

    /** The events in declaration order, as wire names. */
    public List<String> eventNames() {
        List<String> names = new ArrayList<>(events.size());
        for (WebhookEvent e : WebhookEvent.values()) {
            if (events.contains(e)) {
                names.add(e.wire());
            }
        }
        return names;
    }

    /** What the API shows: never the secret, never the owner. */
    public Map<String, Object> toPublicJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("url", url);
        m.put("events", eventNames());
        m.put("createdAt", createdAt);
        return m;
    }

    @Override
    public String toString() {
        // never print the secret
        return "Subscription[id=" + id + ", owner=" + owner + ", url=" + url + ", events=" + eventNames()
                + ", taskId=" + taskId + "]";
    }
}
