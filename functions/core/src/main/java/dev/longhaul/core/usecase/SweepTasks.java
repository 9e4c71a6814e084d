package dev.longhaul.core.usecase;

import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The safety net run on a schedule: a task queued too long (its message lost or never sent) is
 * enqueued again; a running task whose lease ran out (its worker crashed or hit the Lambda
 * timeout) goes back to the queue for another attempt, or fails once its attempts are spent.
 * Every terminal write gives the owner's slot back. Reads an index of active tasks, never the
 * whole table.
 */
public final class SweepTasks {
    private final TaskStore store;
    private final WorkQueue queue;
    private final Clock clock;
    private final Duration retention;
    private final int maxAttempts;
    private final int batchLimit;

    public SweepTasks(TaskStore store, WorkQueue queue, Clock clock, Duration retention, int maxAttempts,
                      int batchLimit) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.retention = retention;
        this.maxAttempts = maxAttempts;
        this.batchLimit = batchLimit;
    }

    /** What one sweep did. */
    public record Report(int examined, int requeued, int failed, int skipped) {
    }

    public Report execute() {
        Instant now = clock.instant();
        int requeued = 0;
        int failed = 0;
        int skipped = 0;
        var due = store.dueForSweep(now, batchLimit);
        for (Task task : due) {
            switch (sweep(task, now)) {
                case REQUEUED -> requeued++;
                case FAILED -> failed++;
                default -> skipped++;
            }
        }
        return new Report(due.size(), requeued, failed, skipped);
    }

    private enum Action { REQUEUED, FAILED, SKIPPED }

    private Action sweep(Task task, Instant now) {
        if (task.isTerminal() || task.isLeaseLive(now)) {
            return Action.SKIPPED;
        }
        if (task.status() == TaskStatus.RUNNING && task.spentAttempts() >= maxAttempts) {
            Task failed = task.fail(new TaskError("worker-lost", "The task's worker stopped responding in each of "
                    + task.spentAttempts() + " attempts."), now, retention);
            return store.replace(failed) ? Action.FAILED : Action.SKIPPED;
        }
        // queued too long, or running with an expired lease: queue it again
        Task requeued = task.requeue(null, now, retention);
        if (!store.replace(requeued)) {
            return Action.SKIPPED;
        }
        if (requeued.isTerminal()) {
            return Action.FAILED;
        }
        queue.enqueue(requeued);
        return Action.REQUEUED;
    }
}
