package dev.longhaul.core.usecase;

import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * For a message the queue gave up on (moved to the dead-letter queue): its task must not stay
 * queued or running forever, so it fails with the reason, unless a worker still holds its lease.
 */
public final class FailUndeliverable {
    private static final int MAX_ATTEMPTS = 5;
    static final TaskError UNDELIVERABLE = new TaskError("undeliverable",
            "The task could not be run: its message was retried until the queue gave up on it.");

    private final TaskStore store;
    private final Clock clock;
    private final Duration retention;

    public FailUndeliverable(TaskStore store, Clock clock, Duration retention) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    /** True when the task is finished now (by this call or before); false if a worker still runs it. */
    public boolean execute(String taskId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Task> found = store.find(taskId);
            if (found.isEmpty() || found.get().isTerminal()) {
                return true;
            }
            Task task = found.get();
            Instant now = clock.instant();
            if (task.isLeaseLive(now)) {
                return false;
            }
            if (!task.status().isActive() || task.isHeld() || task.isWaitingForChildren()) {
                // a stale copy: the task never had a message of its own in this state (blocked,
                // scheduled, held in its named queue) or gave it up (waiting for its children)
                return true;
            }
            if (store.replace(task.fail(UNDELIVERABLE, now, retention))) {
                return true;
            }
        }
        return false;
    }
}
