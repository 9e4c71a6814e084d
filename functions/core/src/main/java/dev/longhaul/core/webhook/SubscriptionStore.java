package dev.longhaul.core.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where subscriptions live: an owner's webhooks, listed without scanning, and the one-off
 * callbacks of single tasks.
 */
public interface SubscriptionStore {

    /**
     * Stores a new owner-wide subscription.
     *
     * @throws SubscriptionLimitException when the owner already has {@code maxPerOwner}
     */
    void add(Subscription subscription, int maxPerOwner);

    /** The owner's subscriptions, oldest first, read strongly consistent, without their secrets. */
    List<Subscription> list(String owner);

    /**
     * The owner's subscription with this id, with its secret when this store can read it; another
     * owner's is never returned.
     */
    Optional<Subscription> find(String owner, String id);

    /** Removes the owner's subscription; false when the owner has none with this id. */
    boolean remove(String owner, String id);

    /** Stores a task's one-off callback (its {@code taskId} set), kept until {@code keepUntil}. */
    void addCallback(Subscription callback, Instant keepUntil);

    /** The one-off callback of this task, if it has one, with its secret when this store can read it. */
    Optional<Subscription> findCallback(String taskId);

    /** Removes a task's callback; nothing happens when it has none. */
    void removeCallback(String taskId);
}
