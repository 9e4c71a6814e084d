package dev.longhaul.core.webhook;

import java.util.List;

/** The owner's subscriptions, oldest first. */
public final class ListWebhooks {
    private final SubscriptionStore store;

    public ListWebhooks(SubscriptionStore store) {
        this.store = store;
    }

    public List<Subscription> execute(String owner) {
        return store.list(owner);
    }
}
