package dev.longhaul.core.usecase;

import dev.longhaul.core.port.ChildTask;
import dev.longhaul.core.port.Lane;
import dev.longhaul.core.port.LaneEntry;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.IllegalTransitionException;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What follows when a task changes, for the tasks that wait on it: run for every change of the
 * tasks table (its stream) by the dispatcher, and by the sweeper as a safety net. Every step is a
 * conditional write derived from a fresh read, so a duplicated or replayed change does nothing
 * twice.
 * <ul>
 * <li>a task holding its named queue finishes or is deleted: the oldest task held behind it takes
 * its turn and is sent to the work queue, or the lane is freed;</li>
 * <li>a dependency finishes or is deleted: its dependents are queued once none of theirs is
 * pending, or fail with {@code dependency-failed};</li>
 * <li>a child finishes or is deleted: its parent, if its job waits and no child is left
 * unfinished, goes back to the queue;</li>
 * <li>a parent is cancelled (or asked to be), or fails: its unfinished children are cancelled;
 * deleted (not expired): its children are deleted;</li>
 * <li>a shared task, or a schedule's, is removed: its grants and its place in the schedule's list go.</li>
 * </ul>
 */
public final class CoordinateTasks {
    private static final int WRITE_ATTEMPTS = 5;

    private final TaskStore store;
    private final WorkQueue queue;
    private final Clock clock;
    private final Duration retention;
    private final IndexLag lag;

    public CoordinateTasks(TaskStore store, WorkQueue queue, Clock clock, Duration retention) {
        this(store, queue, clock, retention, IndexLag.NONE);
    }

    /** @param lag how to wait for an index that does not show a change yet (a short pause in a function) */
    public CoordinateTasks(TaskStore store, WorkQueue queue, Clock clock, Duration retention, IndexLag lag) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.retention = retention;
        this.lag = lag;
    }

    /** Waits a little for an index to catch up; tests do not wait. */
    @FunctionalInterface
    public interface IndexLag {
        IndexLag NONE = attempt -> { };

        void pause(int attempt) throws InterruptedException;
    }

    /** The store does not show yet what it must; the change is to be handled again later. */
    public static final class NotYetVisibleException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotYetVisibleException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reacts to one change of a task's record.
     *
     * @param before  the task before the change; null for a new task (nothing to do)
     * @param after   the task after it; null when it was removed
     * @param expired true when the removal was the table's TTL expiring it
     */
    public void onChange(Task before, Task after, boolean expired) {
        if (before == null) {
            return;
        }
        boolean finishedNow = after != null && after.isTerminal() && !before.isTerminal();
        boolean removedUnfinished = after == null && !before.isTerminal();
        Task last = after != null ? after : before;
        if (finishedNow || removedUnfinished) {
            if (before.holdsLane()) {
                passLane(before.owner(), before.options().queue(), before.id());
            }
            for (String dependent : last.relatives().dependents()) {
                resolveDependent(dependent, last, after == null, expired);
            }
            if (last.options().parent() != null) {
                resumeIfDone(last.options().parent());
            }
        }
        boolean cancelAsked = after != null && after.cancelRequested() && !before.cancelRequested();
        boolean endedBadly = finishedNow && after.status() != TaskStatus.SUCCEEDED;
        if ((cancelAsked || endedBadly) && after.relatives().children() > 0) {
            cancelChildren(after);
        }
        if (after == null && !expired && before.relatives().children() > 0) {
            deleteChildren(before);
        }
        if (after == null && (!before.options().access().isEmpty() || before.options().schedule() != null)) {
            store.removeLinks(before);
        }
    }

    /**
     * Hands a named queue on from a task that no longer holds it: to the oldest task held behind
     * it, sent to the work queue, or, with none waiting, frees it. Nothing when it was passed on
     * already.
     */
    public void passLane(String owner, String queueName, String holder) {
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Lane lane = store.lane(owner, queueName);
            if (!holder.equals(lane.holder())) {
                return;
            }
            if (lane.waiting() <= 0) {
                if (store.freeLane(owner, queueName, holder)) {
                    return;
                }
                continue;
            }
            Optional<Task> next = oldestHeld(owner, queueName);
            if (next.isEmpty()) {
                pause(attempt);
                continue;
            }
            Task turned = next.get().takeTurn(clock.instant());
            if (store.passTurn(owner, queueName, holder, turned)) {
                queue.enqueue(turned);
                return;
            }
        }
        throw new NotYetVisibleException("the named queue's next task is not visible yet");
    }

    private Optional<Task> oldestHeld(String owner, String queueName) {
        List<LaneEntry> entries = store.queuedInLane(owner, queueName);
        for (LaneEntry entry : entries) {
            if (!entry.held()) {
                continue;
            }
            Optional<Task> task = store.find(entry.id()).filter(Task::isHeld);
            if (task.isPresent()) {
                return task;
            }
        }
        return Optional.empty();
    }

    /** Records the outcome of {@code dependency} on a task that was waiting for it. */
    private void resolveDependent(String dependentId, Task dependency, boolean removed, boolean expired) {
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Optional<Task> found = store.find(dependentId);
            if (found.isEmpty()) {
                return;
            }
            Task dependent = found.get();
            Instant now = clock.instant();
            Task next;
            if (!removed && dependency.status() == TaskStatus.SUCCEEDED) {
                next = dependent.dependencySucceeded(dependency.id(), now);
            } else {
                String outcome = removed ? (expired ? "expired" : DependencyOutcome.DELETED)
                        : DependencyOutcome.of(dependency, now);
                next = dependent.dependencyFailed(dependency.id(), outcome, now, retention);
            }
            if (write(dependent, next)) {
                return;
            }
        }
        throw new NotYetVisibleException("a dependent task kept changing");
    }

    /**
     * Writes a change derived from {@code current}: a task promoted to queued takes its slot and
     * its turn, and is sent to the work queue when it has it. True when written (or nothing to
     * write), false when {@code current} changed meanwhile.
     */
    boolean write(Task current, Task next) {
        if (next == current) {
            return true;
        }
        if (next.status() == TaskStatus.QUEUED && !current.status().isActive()) {
            Optional<Task> stored = store.admit(next);
            if (stored.isEmpty()) {
                return false;
            }
            if (!stored.get().isHeld()) {
                queue.enqueue(stored.get());
            }
            return true;
        }
        return store.replace(next);
    }

    /** Sends a parent whose job waits back to the queue once none of its children is unfinished. */
    public void resumeIfDone(String parentId) {
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Optional<Task> found = store.find(parentId);
            if (found.isEmpty() || !found.get().isWaitingForChildren() || found.get().relatives().openChildren() > 0) {
                return;
            }
            Task resumed = found.get().resume(clock.instant());
            if (store.replace(resumed)) {
                queue.enqueue(resumed);
                return;
            }
        }
        throw new NotYetVisibleException("a waiting parent kept changing");
    }

    /**
     * Cancels the unfinished children of a parent that was cancelled or failed. The index may lag
     * behind a child created just before: while it shows fewer unfinished children than the
     * parent counts, the change is to be handled again.
     */
    private void cancelChildren(Task parent) {
        List<ChildTask> children = store.children(parent.owner(), parent.id());
        int visibleOpen = 0;
        for (ChildTask child : children) {
            if (!child.status().isTerminal()) {
                visibleOpen++;
                cancel(child.id());
            }
        }
        if (visibleOpen < parent.relatives().openChildren()) {
            throw new NotYetVisibleException("the parent's newest children are not visible yet");
        }
    }

    private void cancel(String id) {
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Optional<Task> found = store.find(id);
            if (found.isEmpty() || found.get().isTerminal() || found.get().cancelRequested()) {
                return;
            }
            Task next;
            try {
                next = found.get().requestCancel(clock.instant(), retention);
            } catch (IllegalTransitionException e) {
                return;
            }
            if (store.replace(next)) {
                return;
            }
        }
        throw new NotYetVisibleException("a child kept changing");
    }

    /** Deletes the children of a deleted parent, waiting a little for the index to show the newest. */
    private void deleteChildren(Task parent) {
        List<ChildTask> children = store.children(parent.owner(), parent.id());
        for (int attempt = 0; children.size() < parent.relatives().children() && attempt < 3; attempt++) {
            pause(attempt);
            children = store.children(parent.owner(), parent.id());
        }
        for (ChildTask child : children) {
            for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
                Optional<Task> found = store.find(child.id());
                if (found.isEmpty() || store.delete(found.get())) {
                    break;
                }
            }
        }
    }

    private void pause(int attempt) {
        try {
            lag.pause(attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotYetVisibleException("interrupted");
        }
    }

    /** For the sweeper: the tasks {@code ids} by id, read at once. */
    Map<String, Task> read(java.util.Collection<String> ids) {
        return store.findAll(ids);
    }
}
