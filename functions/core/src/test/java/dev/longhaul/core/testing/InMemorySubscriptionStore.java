package dev.longhaul.core.testing;

import dev.longhaul.core.webhook.Subscription;
import dev.longhaul.core.webhook.SubscriptionLimitException;
import dev.longhaul.core.webhook.SubscriptionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Subscriptions in maps; {@link #failCallbacks} makes the next callback writes fail. */
public final class InMemorySubscriptionStore implements SubscriptionStore {
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, Subscription> callbacks = new LinkedHashMap<>();
    private int failingCallbackWrites;

    @Override
    public synchronized void add(Subscription subscription, int maxPerOwner) {
        long owned = subscriptions.values().stream().filter(s -> s.owner().equals(subscription.owner())).count();
        if (owned >= maxPerOwner) {
            throw new SubscriptionLimitException(maxPerOwner);
        }
        subscriptions.put(subscription.owner() + "\u0000" + subscription.id(), subscription);
    }

    @Override
    public synchronized List<Subscription> list(String owner) {
        List<Subscription> owned = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            if (s.owner().equals(owner)) {
                // as the port says: a listing carries no secret
                owned.add(s.withoutSecret());
            }
        }
        owned.sort(Comparator.comparing(Subscription::createdAt).thenComparing(Subscription::id));
        return owned;
    }

    @Override
    public synchronized Optional<Subscription> find(String owner, String id) {
        return Optional.ofNullable(subscriptions.get(owner + "\u0000" + id));
    }

    @Override
    public synchronized boolean remove(String owner, String id) {
        return subscriptions.remove(owner + "\u0000" + id) != null;
    }

    @Override
    public synchronized void addCallback(Subscription callback, Instant keepUntil) {
        if (failingCallbackWrites > 0) {
            failingCallbackWrites--;
            throw new IllegalStateException("injected callback write failure");
        }
        callbacks.put(callback.taskId(), callback);
    }

    @Override
    public synchronized Optional<Subscription> findCallback(String taskId) {
        return Optional.ofNullable(callbacks.get(taskId));
    }

    @Override
    public synchronized void removeCallback(String taskId) {
        callbacks.remove(taskId);
    }

    public synchronized void failCallbacks(int writes) {
        failingCallbackWrites = writes;
    }

    public synchronized int callbackCount() {
        return callbacks.size();
    }
}
