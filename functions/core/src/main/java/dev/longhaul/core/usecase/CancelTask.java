package dev.longhaul.core.usecase;

import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;

/**
 * Cancels a task: one that is not running (blocked, scheduled, queued, or waiting for its
 * children) at once, a running one by flagging it so its job stops at its next progress point.
 * Its active children are cancelled in turn by whoever follows the change (see
 * {@link CoordinateTasks}). Cancelling a cancelled task is harmless; a succeeded or failed one
 * cannot be cancelled. Only the owner may cancel.
 */
public final class CancelTask {
    private static final int MAX_ATTEMPTS = 5;

    private final GetTask getTask;
    private final TaskStore store;
    private final Clock clock;
    private final Duration retention;

    public CancelTask(GetTask getTask, TaskStore store, Clock clock, Duration retention) {
        this.getTask = getTask;
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    public Task execute(String owner, String id) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Task task = getTask.executeForOwner(owner, id);
            if (task.status() == TaskStatus.CANCELLED) {
                return task;
            }
            if (task.isTerminal()) {
                throw Problem.of(Problem.Kind.CONFLICT, "task-finished", "Task already finished",
                        "The task is " + task.status() + " and can no longer be cancelled.").exception();
            }
            Task next = task.requestCancel(clock.instant(), retention);
            if (next == task || store.replace(next)) {
                return next;
            }
        }
        throw Problem.of(Problem.Kind.UNAVAILABLE, "task-busy", "Task busy",
                "The task kept changing; retry the cancel.").exception();
    }
}
