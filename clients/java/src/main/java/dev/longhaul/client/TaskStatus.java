package dev.longhaul.client;

import java.util.Objects;
import java.util.Set;

/**
 * A task's status as the API names it. A record of the wire value rather than an enum, so that a
 * status this client does not know yet ({@code blocked}, {@code scheduled}, ...) reads fine and
 * counts as not terminal.
 */
public record TaskStatus(String value) {
    public static final TaskStatus QUEUED = new TaskStatus("queued");
    public static final TaskStatus RUNNING = new TaskStatus("running");
    public static final TaskStatus SUCCEEDED = new TaskStatus("succeeded");
    public static final TaskStatus FAILED = new TaskStatus("failed");
    public static final TaskStatus CANCELLED = new TaskStatus("cancelled");

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    public TaskStatus {
        Objects.requireNonNull(value, "value");
    }

    public static TaskStatus of(String value) {
        return new TaskStatus(value);
    }

    /** Succeeded, failed or cancelled: the task will not change any more. Unknown statuses are not terminal. */
    public boolean isTerminal() {
        return TERMINAL.contains(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
