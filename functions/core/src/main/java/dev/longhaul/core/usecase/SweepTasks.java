package dev.longhaul.core.usecase;

import dev.longhaul.core.port.Lane;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The safety net run on a schedule, over an index of unfinished tasks (never the whole table):
 * <ul>
 * <li>a task queued too long (its message lost or never sent) is enqueued again;</li>
 * <li>a running task whose lease ran out (its worker crashed or hit the Lambda timeout) goes back
 * to the queue for another attempt, or fails once its attempts are spent;</li>
 * <li>a scheduled task whose {@code notBefore} passed is queued (this is how it is queued);</li>
 * <li>a task waiting on other tasks (blocked on dependencies, held in its named queue, or waiting
 * for its children) is checked against them, in case the change that should have moved it on
 * was missed, and left alone for longer each time nothing was.</li>
 * </ul>
 * Every terminal write gives the owner's slot back.
 */
public final class SweepTasks {
    /** The longest a waiting task is left between two checks. */
    static final Duration MAX_RECHECK = Duration.ofHours(6);

    private final TaskStore store;
    private final WorkQueue queue;
    private final Clock clock;
    private final Duration retention;
    private final int maxAttempts;
    private final int batchLimit;
    private final CoordinateTasks coordination;

    public SweepTasks(TaskStore store, WorkQueue queue, Clock clock, Duration retention, int maxAttempts,
                      int batchLimit) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.retention = retention;
        this.maxAttempts = maxAttempts;
        this.batchLimit = batchLimit;
        this.coordination = new CoordinateTasks(store, queue, clock, retention);
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
        switch (task.status()) {
            case SCHEDULED:
                if (task.isBeforeNotBefore(now)) {
                    return Action.SKIPPED;
                }
                return coordination.write(task, task.due(now)) ? Action.REQUEUED : Action.SKIPPED;
            case BLOCKED:
                return recheckDependencies(task, now);
            default:
                break;
        }
        if (task.isHeld()) {
            return recheckLane(task, now);
        }
        if (task.isWaitingForChildren()) {
            if (task.relatives().openChildren() == 0) {
                coordination.resumeIfDone(task.id());
                return Action.REQUEUED;
            }
            store.snooze(task, recheckAt(task, now));
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

    /** A blocked task's dependencies, read again: any outcome a missed change did not record is recorded now. */
    private Action recheckDependencies(Task task, Instant now) {
        Map<String, Task> dependencies = store.findAll(task.flow().pending());
        Task current = task;
        for (String id : task.flow().pending()) {
            Task dependency = dependencies.get(id);
            Task next = current;
            if (dependency == null) {
                next = current.dependencyFailed(id, DependencyOutcome.DELETED, now, retention);
            } else if (dependency.status() == TaskStatus.SUCCEEDED && !dependency.isExpired(now)) {
                next = current.dependencySucceeded(id, now);
            } else if (dependency.isTerminal() || dependency.isExpired(now)) {
                next = current.dependencyFailed(id, DependencyOutcome.of(dependency, now), now, retention);
            }
            if (next != current) {
                if (!coordination.write(current, next)) {
                    return Action.SKIPPED;
                }
                current = next;
                if (current.status() != TaskStatus.BLOCKED) {
                    break;
                }
            }
        }
        if (current == task) {
            store.snooze(task, recheckAt(task, now));
            return Action.SKIPPED;
        }
        return current.isTerminal() ? Action.FAILED : Action.REQUEUED;
    }

    /** A held task's named queue, read again: if the task holding it is gone or finished, the turn passes. */
    private Action recheckLane(Task task, Instant now) {
        String queueName = task.options().queue();
        Lane lane = store.lane(task.owner(), queueName);
        String holder = lane.holder();
        Optional<Task> holding = holder == null ? Optional.empty() : store.find(holder);
        if (holder != null && (holding.isEmpty() || holding.get().isTerminal() || !holding.get().holdsLane())) {
            coordination.passLane(task.owner(), queueName, holder);
            return Action.REQUEUED;
        }
        store.snooze(task, recheckAt(task, now));
        return Action.SKIPPED;
    }

    /** Checks get rarer as a task keeps waiting: after a quarter of its wait so far, within bounds. */
    static Instant recheckAt(Task task, Instant now) {
        Duration waited = Duration.between(task.updatedAt(), now);
        Duration next = waited.dividedBy(4);
        if (next.compareTo(Task.RECHECK_GRACE) < 0) {
            next = Task.RECHECK_GRACE;
        }
        if (next.compareTo(MAX_RECHECK) > 0) {
            next = MAX_RECHECK;
        }
        return now.plus(next);
    }
}
