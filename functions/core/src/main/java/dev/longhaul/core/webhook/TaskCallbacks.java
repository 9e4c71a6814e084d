package dev.longhaul.core.webhook;

import dev.longhaul.core.task.Task;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;

/**
 * A task's {@code callbackUrl}: a one-off subscription to every terminal event of that task,
 * checked by the same {@link TargetGuard} as subscriptions and signed with its own secret.
 */
public final class TaskCallbacks {
    public static final String FIELD = "callbackUrl";
    /** Longer than any task can stay active plus the whole retry schedule. */
    public static final Duration KEEP_FOR = Duration.ofDays(30);

    private final SubscriptionStore store;
    private final TargetGuard guard;

    public TaskCallbacks(SubscriptionStore store, TargetGuard guard) {
        this.store = store;
        this.guard = guard;
    }

    /** Refuses a target the guard refuses with a 400 naming {@code callbackUrl}. */
    public void check(String url) {
        try {
            guard.check(url);
        } catch (TargetRefusedException e) {
            throw SubscribeWebhook.refused(FIELD, e);
        }
    }

    /** Stores the callback of a task that was just stored. */
    public Subscription register(Task task, String url) {
        Subscription callback = new Subscription(Delivery.CALLBACK, task.owner(), url,
                EnumSet.allOf(WebhookEvent.class), WebhookSecret.generate(), task.createdAt(), task.id());
        store.addCallback(callback, task.createdAt().plus(KEEP_FOR));
        return callback;
    }

    public Optional<Subscription> find(Task task) {
        return store.findCallback(task.id()).filter(c -> c.owner().equals(task.owner()));
    }

    public void remove(Task task) {
        store.removeCallback(task.id());
    }
}
