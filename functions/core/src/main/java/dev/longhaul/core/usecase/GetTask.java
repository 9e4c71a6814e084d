package dev.longhaul.core.usecase;

import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import java.time.Clock;
import java.time.Duration;

/**
 * Reads a task for its owner. Another owner's task is indistinguishable from a missing one; an
 * expired task is gone (410) even while TTL has not deleted it yet.
 */
public final class GetTask {
    private final TaskStore store;
    private final Clock clock;

    public GetTask(TaskStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Task execute(String owner, String id) {
        if (!TaskIds.isWellFormed(id)) {
            throw notFound();
        }
        Task task = store.find(id).filter(t -> t.owner().equals(owner)).orElseThrow(GetTask::notFound);
        if (task.isExpired(clock.instant())) {
            throw Problem.of(Problem.Kind.GONE, "task-expired", "Task expired",
                    "The task and its result expired at " + task.expiresAt() + ".").exception();
        }
        return task;
    }

    /**
     * Waits up to {@code wait} for the task to move past {@code knownRevision} (RFC 7240
     * {@code Prefer: wait}); answers at once when it already has or is finished.
     */
    public Task awaitChange(String owner, String id, long knownRevision, Duration wait) throws InterruptedException {
        Task task = execute(owner, id);
        long deadline = System.nanoTime() + wait.toNanos();
        while (task.revision() == knownRevision && !task.isTerminal()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Thread.sleep(Math.min(POLL_INTERVAL_MILLIS, Math.max(1, left / 1_000_000)));
            task = execute(owner, id);
        }
        return task;
    }

    private static final long POLL_INTERVAL_MILLIS = 250;

    static ProblemException notFound() {
        return Problem.of(Problem.Kind.NOT_FOUND, "task-not-found", "Task not found",
                "No task with this id exists for the caller.").exception();
    }
}
