package dev.longhaul.core.webhook;

/** The owner already has as many subscriptions as allowed. */
public final class SubscriptionLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    public SubscriptionLimitException(int limit) {
        super("subscription limit " + limit + " reached", null, false, false);
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
