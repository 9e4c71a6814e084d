package dev.longhaul.core.port;

/** The owner already has as many active tasks as allowed. */
public final class ActiveTaskLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int limit;
    private final long active;

    public ActiveTaskLimitException(int limit, long active) {
        super("active task limit reached", null, false, false);
        this.limit = limit;
        this.active = active;
    }

    public int limit() {
        return limit;
    }

    public long active() {
        return active;
    }
}
