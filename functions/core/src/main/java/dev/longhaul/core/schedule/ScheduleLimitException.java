package dev.longhaul.core.schedule;

/** The owner already has as many schedules as allowed. */
public final class ScheduleLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    public ScheduleLimitException(int limit) {
        super("schedule limit reached", null, false, false);
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
