package dev.longhaul.core.webhook;

import dev.longhaul.core.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * A task changed: when it just reached a terminal state, queues one delivery per subscription of
 * its owner that wants the event, plus one for the task's callback. Each task reaches a terminal
 * state once, so each subscription gets one delivery per task; when the change is seen twice
 * (the stream is at least once), the duplicate carries the same {@code webhook-id}.
 */
public final class NotifyTaskFinished {
    private final SubscriptionStore store;
    private final DeliveryQueue queue;

    public NotifyTaskFinished(SubscriptionStore store, DeliveryQueue queue) {
        this.store = store;
        this.queue = queue;
    }

    /** The deliveries queued; none unless {@code before} was active and {@code after} is terminal. */
    public List<Delivery> execute(Task before, Task after) {
        if (before == null || after == null || before.isTerminal() || !after.isTerminal()
                || !before.id().equals(after.id())) {
            return List.of();
        }
        WebhookEvent event = WebhookEvent.forStatus(after.status());
        String payload = WebhookPayload.of(event, after);
        List<Delivery> deliveries = new ArrayList<>();
        for (Subscription subscription : store.list(after.owner())) {
            if (subscription.owner().equals(after.owner()) && subscription.wants(event)) {
                deliveries.add(delivery(after, subscription.id(), event, payload));
            }
        }
        store.findCallback(after.id())
                .filter(callback -> callback.owner().equals(after.owner()) && callback.wants(event))
                .ifPresent(callback -> deliveries.add(delivery(after, Delivery.CALLBACK, event, payload)));
        if (!deliveries.isEmpty()) {
            queue.enqueue(deliveries);
        }
        return deliveries;
    }

    private static Delivery delivery(Task task, String subscriptionId, WebhookEvent event, String payload) {
        return new Delivery(Delivery.webhookId(task.id(), subscriptionId), task.id(), task.owner(), subscriptionId,
                event, payload);
    }
}
