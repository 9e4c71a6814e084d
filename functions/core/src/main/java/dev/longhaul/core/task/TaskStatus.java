package dev.longhaul.core.task;

/**
 * Where a task is in its life. The order of declaration is the order of the lifecycle:
 * {@code blocked} (waiting for its dependencies) and {@code scheduled} (waiting for its
 * {@code notBefore}) come before {@code queued}.
 */
public enum TaskStatus {
    BLOCKED, SCHEDULED, QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    private final String wire = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name used on the wire and in storage. */
    public String wire() {
        return wire;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** Queued or running: the statuses that hold one of the owner's active slots. */
    public boolean isActive() {
        return this == QUEUED || this == RUNNING;
    }

    /** Blocked or scheduled: created, but not yet queued, and holding no slot. */
    public boolean isWaiting() {
        return this == BLOCKED || this == SCHEDULED;
    }

    /** The status with this wire name, or null when none has it. */
    public static TaskStatus fromWire(String wire) {
        for (TaskStatus s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        return null;
    }

    /** Every wire name, in lifecycle order, comma-separated (for error messages). */
    public static String wireNames() {
        StringBuilder names = new StringBuilder();
        for (TaskStatus s : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(s.wire);
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return wire;
    }
}
