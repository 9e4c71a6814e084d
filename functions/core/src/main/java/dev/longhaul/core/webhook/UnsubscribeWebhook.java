package dev.longhaul.core.webhook;

import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;

/**
 * Removes one of the owner's subscriptions. Another owner's subscription is indistinguishable
 * from a missing one. Deliveries already queued for it are dropped when they come up.
 */
public final class UnsubscribeWebhook {
    private final SubscriptionStore store;

    public UnsubscribeWebhook(SubscriptionStore store) {
        this.store = store;
    }

    public void execute(String owner, String id) {
        // ids are generated like task ids: anything else is refused before it reaches a key
        if (!TaskIds.isWellFormed(id) || !store.remove(owner, id)) {
            throw notFound();
        }
    }

    static ProblemException notFound() {
        return Problem.of(Problem.Kind.NOT_FOUND, "webhook-not-found", "Webhook not found",
                "No webhook with this id exists for the caller.").exception();
    }
}
