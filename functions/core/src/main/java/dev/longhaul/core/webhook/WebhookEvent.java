package dev.longhaul.core.webhook;

import dev.longhaul.core.task.TaskStatus;
import java.util.Locale;

/** What a subscription can be told about: a task reaching one of its terminal states. */
public enum WebhookEvent {
    TASK_SUCCEEDED, TASK_FAILED, TASK_CANCELLED;

    private final String wire = name().toLowerCase(Locale.ROOT).replace('_', '.');

    /** The name on the wire: {@code task.succeeded}, {@code task.failed}, {@code task.cancelled}. */
    public String wire() {
        return wire;
    }

    /** The event with this wire name, or null when none has it. */
    public static WebhookEvent fromWire(String wire) {
        for (WebhookEvent e : values()) {
            if (e.wire.equals(wire)) {
                return e;
            }
        }
        return null;
    }

    /** The event a task emits on reaching {@code status}, or null for a non-terminal status. */
    public static WebhookEvent forStatus(TaskStatus status) {
        switch (status) {
            case SUCCEEDED: return TASK_SUCCEEDED;
            case FAILED: return TASK_FAILED;
            case CANCELLED: return TASK_CANCELLED;
            default: return null;
        }
    }

    @Override
    public String toString() {
        return wire;
    }
}
