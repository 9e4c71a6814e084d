package dev.longhaul.core.usecase;

import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WaitSlots;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a task for its owner or a subject it is shared with. Anyone else's task is
 * indistinguishable from a missing one; an expired task is gone (410) even while TTL has not
 * deleted it yet.
 */
public final class GetTask {
    private final TaskStore store;
    private final Clock clock;
    private final WaitSlots waitSlots;
    private final Sleeper sleeper;

    /** Without a cap on concurrent waits. */
    public GetTask(TaskStore store, Clock clock) {
        this(store, clock, WaitSlots.unlimited(), Sleeper.system());
    }

    public GetTask(TaskStore store, Clock clock, WaitSlots waitSlots, Sleeper sleeper) {
        this.store = store;
        this.clock = clock;
        this.waitSlots = waitSlots;
        this.sleeper = sleeper;
    }

    /** The task, for its owner or a subject in its {@code access} list. */
    public Task execute(String caller, String id) {
        if (!TaskIds.isWellFormed(id)) {
            throw notFound();
        }
        Task task = store.find(id).filter(t -> t.readableBy(caller)).orElseThrow(GetTask::notFound);
        if (task.isExpired(clock.instant())) {
            throw Problem.of(Problem.Kind.GONE, "task-expired", "Task expired",
                    "The task and its result expired at " + task.expiresAt() + ".").exception();
        }
        return task;
    }

    /**
     * The task, for a change only its owner may make: a subject it is shared with gets 403
     * {@code forbidden}, anyone else 404.
     */
    public Task executeForOwner(String caller, String id) {
        Task task = execute(caller, id);
        if (!task.owner().equals(caller)) {
            throw forbidden();
        }
        return task;
    }

    static ProblemException forbidden() {
        return Problem.of(Problem.Kind.FORBIDDEN, "forbidden", "Forbidden",
                "The task is shared with you for reading only; only its owner may change it.").exception();
    }

    /** The longest wait honoured ({@code Prefer: wait=10}). */
    public static final Duration MAX_WAIT = Duration.ofSeconds(10);
    /** The first pause between reads; each next one doubles, up to {@link #MAX_PAUSE}. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    /**
     * The answer to a wait.
     *
     * @param honoured false when the wait was refused (the owner has too many waits going, or
     *                 the slots could not be reached) and the task was answered at once
     */
    public record Await(Task task, boolean honoured) {
    }

    /**
     * Waits up to {@code wait} (at most {@link #MAX_WAIT}) for the task to move past the
     * {@code current} copy the caller just read (RFC 7240 {@code Prefer: wait}), holding one of
     * the owner's wait slots meanwhile; answers at once when it is finished. The reads back off,
     * 100 ms doubling to 1 s, so a 10 s wait reads the task 13 times after the caller's own read.
     */
    public Await awaitChange(String owner, String id, Task current, Duration wait) throws InterruptedException {
        Duration bounded = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        if (current.isTerminal() || bounded.isZero() || bounded.isNegative()) {
            return new Await(current, true);
        }
        Optional<WaitSlots.Slot> slot;
        try {
            slot = waitSlots.tryAcquire(owner, clock.instant());
        } catch (RuntimeException unavailable) {
            // waiting is a courtesy: without the count, answer now rather than wait uncounted
            return new Await(current, false);
        }
        if (slot.isEmpty()) {
            return new Await(current, false);
        }
        try {
            return new Await(poll(owner, id, current, bounded), true);
        } finally {
            try {
                waitSlots.release(slot.get());
            } catch (RuntimeException ignored) {
                // the lease frees it
            }
        }
    }

    private Task poll(String owner, String id, Task current, Duration wait) throws InterruptedException {
        long deadline = sleeper.nanoTime() + wait.toNanos();
        Duration pause = FIRST_PAUSE;
        Task task = current;
        while (task.revision() == current.revision() && !task.isTerminal()) {
            long left = deadline - sleeper.nanoTime();
            if (left <= 0) {
                break;
            }
            sleeper.sleep(left < pause.toNanos() ? Duration.ofNanos(left) : pause);
            task = execute(owner, id);
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
        return task;
    }

    static ProblemException notFound() {
        return Problem.of(Problem.Kind.NOT_FOUND, "task-not-found", "Task not found",
                "No task with this id exists for the caller.").exception();
    }
}
