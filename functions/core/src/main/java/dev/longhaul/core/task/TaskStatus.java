package dev.longhaul.core.task;

/** Where a task is in its life. The order of declaration is the order of the lifecycle. */
public enum TaskStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    private final String wire = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name used on the wire and in storage. */
    public String wire() {
        return wire;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public boolean isActive() {
        return this == QUEUED || this == RUNNING;
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

    @Override
    public String toString() {
        return wire;
    }
}
