package dev.longhaul.core.usecase;

import dev.longhaul.core.job.Child;
import dev.longhaul.core.job.InvalidParametersException;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.JobFailedException;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.job.TaskCancelledException;
import dev.longhaul.core.log.Metrics;
import dev.longhaul.core.port.ChildTask;
import dev.longhaul.core.port.IdSource;
import dev.longhaul.core.port.RelativeChangedException;
import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.port.ResultUpload;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.IllegalTransitionException;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.task.TaskStatus;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Runs one delivered task: claims it with a conditional write, runs its job, streams the result,
 * and moves it to a terminal state. Safe under at-least-once delivery: a duplicate of a task
 * another worker holds is left for later, a delivery of a finished task does nothing, and a
 * task whose worker vanished is taken over once its lease has expired.
 *
 * <p>Work that goes on later goes on in a fresh message, never in the delivered one put back: a
 * continuation (a resumable job out of time) and a task not started for want of time in its
 * invocation cost none of the message's receives, which the queue's {@code maxReceiveCount}
 * keeps for crashes, timeouts and failures.
 */
public final class RunTask {

    /** What to do with the message that carried the task. */
    public enum Outcome {
        /** The task reached a terminal state in this run. */
        FINISHED,
        /** Nothing to do (already finished, deleted, or ours no more): the message can go. */
        SKIPPED,
        /** Leave the message to be delivered again (infrastructure fault or lease held elsewhere). */
        RETRY,
        /**
         * The task goes on in a fresh message (a continuation, a task this invocation had no
         * time to start, or one whose {@code notBefore} is still ahead): the delivered one can go.
         */
        HANDED_ON,
        /** The task's job waits for its children; it is sent again when the last one finishes. */
        WAITING
    }

    private static final int MAX_WRITE_ATTEMPTS = 3;

    /**
     * How runs are paced and bounded.
     *
     * @param retention        how long a finished task and its result are kept
     * @param lease            how long a claim holds without a heartbeat
     * @param progressInterval at most one progress write (heartbeat) per interval
     * @param maxAttempts      attempts before a task that keeps failing or vanishing is failed
     * @param retryBase        delay before the second attempt, doubled for each further one
     * @param retryMax         the longest delay between attempts
     * @param yieldMargin      a resumable job checkpoints and hands on to a new invocation when
     *                         less than this is left of the function's time
     */
    public record Settings(Duration retention, Duration lease, Duration progressInterval, int maxAttempts,
                           Duration retryBase, Duration retryMax, Duration yieldMargin) {
        public static Settings defaults(Duration retention, Duration lease, Duration progressInterval) {
            return new Settings(retention, lease, progressInterval, 3, Duration.ofSeconds(30), Duration.ofMinutes(4),
                    Duration.ofSeconds(60));
        }
    }

    /** What became of a delivery, and when to deliver it again if it must be retried. */
    public record Run(Outcome outcome, Duration retryAfter) {
        static Run of(Outcome outcome) {
            return new Run(outcome, null);
        }
    }

    /**
     * The messages of one invocation, run one after another: the first always starts (handing it
     * on would only repeat the same invocation), a later one only if its job fits in the time left.
     */
    public static final class Invocation {
        private boolean started;
    }

    /** Told each time the running task's lease was renewed, so the message can be kept hidden. */
    public interface Heartbeat {
        Heartbeat NONE = () -> { };

        void beat();

        /** Time left in this invocation, or null when unbounded. */
        default Duration remaining() {
            return null;
        }
    }

    private final TaskStore store;
    private final ResultStore results;
    private final WorkQueue queue;
    private final JobRegistry jobs;
    private final IdSource tokens;
    private final Clock clock;
    private final Duration retention;
    private final Duration lease;
    private final Duration progressInterval;
    private final Settings settings;
    private final Metrics metrics;
    private final CreateTask spawner;

    public RunTask(TaskStore store, ResultStore results, WorkQueue queue, JobRegistry jobs, IdSource tokens,
                   Clock clock, Duration retention, Duration lease, Duration progressInterval) {
        this(store, results, queue, jobs, tokens, clock, Settings.defaults(retention, lease, progressInterval),
                Metrics.NONE);
    }

    /** @param queue where continuations and tasks handed on unstarted are sent, as fresh messages */
    public RunTask(TaskStore store, ResultStore results, WorkQueue queue, JobRegistry jobs, IdSource tokens,
                   Clock clock, Settings settings, Metrics metrics) {
        this(store, results, queue, jobs, tokens, clock, settings, metrics, null);
    }

    /** @param spawner how jobs' children are created ({@link JobContext#spawn}); null refuses them */
    public RunTask(TaskStore store, ResultStore results, WorkQueue queue, JobRegistry jobs, IdSource tokens,
                   Clock clock, Settings settings, Metrics metrics, CreateTask spawner) {
        this.spawner = spawner;
        this.metrics = metrics;
        this.store = store;
        this.results = results;
        this.queue = java.util.Objects.requireNonNull(queue, "queue");
        this.jobs = jobs;
        this.tokens = tokens;
        this.clock = clock;
        this.settings = settings;
        this.retention = settings.retention();
        this.lease = settings.lease();
        this.progressInterval = settings.progressInterval();
    }

    /** Runs the task described by a (possibly stale) snapshot, as carried by the queue message. */
    public Outcome execute(Task snapshot) {
        return execute(snapshot, Heartbeat.NONE).outcome();
    }

    /** Runs the task as the only message of its invocation, telling {@code heartbeat} each time its lease is renewed. */
    public Run execute(Task snapshot, Heartbeat heartbeat) {
        return execute(snapshot, heartbeat, new Invocation());
    }

    /**
     * Runs the task as a message of {@code invocation}, telling {@code heartbeat} each time its
     * lease is renewed. A task whose job would not fit in the time left is not started: it is
     * handed on in a fresh message.
     */
    public Run execute(Task snapshot, Heartbeat heartbeat, Invocation invocation) {
        if (invocation.started && !snapshot.isTerminal() && !fits(snapshot, heartbeat.remaining())) {
            return handOn(snapshot);
        }
        invocation.started = true;
        Task running = claim(snapshot);
        if (running == null) {
            return Run.of(Outcome.SKIPPED);
        }
        if (running == HELD_ELSEWHERE) {
            return new Run(Outcome.RETRY, settings.retryBase());
        }
        if (running.status() == TaskStatus.QUEUED) {
            // its notBefore is still ahead (the sender's clock ran ahead of ours): later, in a fresh message
            return handOn(running, Duration.between(clock.instant(), running.options().notBefore()));
        }
        Optional<Job> job = jobs.find(running.type());
        if (job.isEmpty()) {
            return Run.of(finish(running, t -> t.fail(new TaskError("unknown-type",
                    "This deployment has no job of type " + t.type() + "."), clock.instant(), retention)));
        }
        return run(job.get(), running, heartbeat);
    }

    /**
     * Whether the task's job can run in the time left: a resumable one needs more than the yield
     * margin (it checkpoints at the margin), any other its expected duration plus the margin.
     */
    private boolean fits(Task task, Duration remaining) {
        if (remaining == null) {
            return true;
        }
        Optional<Job> job = jobs.find(task.type());
        if (job.isEmpty()) {
            return true; // fails at once as unknown-type
        }
        if (job.get().resumable()) {
            return remaining.compareTo(settings.yieldMargin()) > 0;
        }
        Duration needed = settings.yieldMargin().plus(job.get().expectedDuration(task.parameters()).orElse(Duration.ZERO));
        return remaining.compareTo(needed) >= 0;
    }

    /** Sends the task on in a fresh message; if that fails, the delivered one comes back at once. */
    private Run handOn(Task task) {
        return handOn(task, Duration.ZERO);
    }

    /** As {@link #handOn(Task)}, the fresh message delivered after {@code delay} (capped at the queue's longest). */
    private Run handOn(Task task, Duration delay) {
        Duration bounded = delay.compareTo(WorkQueue.MAX_DELAY) > 0 ? WorkQueue.MAX_DELAY : delay;
        try {
            if (bounded.isNegative() || bounded.isZero()) {
                queue.enqueue(task);
            } else {
                queue.enqueue(task, bounded);
            }
            return Run.of(Outcome.HANDED_ON);
        } catch (RuntimeException e) {
            return new Run(Outcome.RETRY, bounded.isNegative() ? Duration.ZERO : bounded);
        }
    }

    /** The delay before the attempt after {@code attempts} attempts: exponential, capped. */
    public Duration backoff(int attempts) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration delay = settings.retryBase().multipliedBy(factor);
        return delay.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : delay;
    }

    private static final Task HELD_ELSEWHERE = Task.create("-", "-", "-", null, null, Instant.EPOCH);

    private Task claim(Task snapshot) {
        Task current = snapshot;
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            if (current.isTerminal() || current.status().isWaiting() || current.isHeld()
                    || current.isWaitingForChildren()) {
                // finished, or a stale copy: the task has no message of its own in these states
                return null;
            }
            if (current.isLeaseLive(now)) {
                return HELD_ELSEWHERE;
            }
            if (current.isBeforeNotBefore(now) && !current.cancelRequested()) {
                return current;
            }
            Task next;
            if (current.cancelRequested()) {
                // cancelled while its worker was gone: nobody else will confirm it
                next = current.status() == TaskStatus.RUNNING
                        ? current.confirmCancelled(now, retention) : current.requeue(null, now, retention);
            } else if (current.spentAttempts() >= settings.maxAttempts()) {
                // its attempts all ended without an outcome (crashes, lost leases): give up
                next = current.fail(new TaskError("retries-exhausted", "The task did not complete in "
                        + current.attempts() + " attempts."), now, retention);
            } else {
                next = current.start(tokens.newId(), now, now.plus(lease));
            }
            if (store.replace(next)) {
                return next.isTerminal() ? null : next;
            }
            Optional<Task> fresh = store.find(current.id());
            if (fresh.isEmpty()) {
                return null;
            }
            current = fresh.get();
        }
        return HELD_ELSEWHERE;
    }

    private static final TaskError TEMPORARY_FAILURE = new TaskError("temporary-failure",
            "The task could not be completed because of a temporary failure.");
    private static final TaskError NO_PROGRESS = new TaskError("no-progress",
            "The job stored no new output before its invocation's time ran out.");

    private Run run(Job job, Task running, Heartbeat heartbeat) {
        String contentType = job.contentType(running.parameters());
        if (running.attempts() > 1 && !running.resumesCheckpoint()) {
            // an earlier attempt may have stored the result and died before recording it
            java.util.OptionalLong stored;
            try {
                stored = results.storedSize(running.id());
            } catch (RuntimeException e) {
                return retryLater(running, TEMPORARY_FAILURE);
            }
            if (stored.isPresent()) {
                TaskResult adopted = new TaskResult(contentType, stored.getAsLong());
                return Run.of(finish(running, t -> t.succeed(adopted, clock.instant(), retention)));
            }
        }
        ResultUpload upload;
        try {
            upload = running.resumesCheckpoint() && job.resumable()
                    ? results.resume(running.id(), contentType) : results.open(running.id(), contentType);
        } catch (RuntimeException e) {
            return retryLater(running, TEMPORARY_FAILURE);
        }
        Context context = new Context(running, upload, heartbeat, job.resumable());
        try {
            job.run(running.parameters(), context);
        } catch (SuspendedException e) {
            return continueLater(context.current, e.progressed());
        } catch (AwaitingChildrenException e) {
            upload.abort();
            return Run.of(Outcome.WAITING);
        } catch (TaskCancelledException e) {
            upload.abort();
            return Run.of(finish(context.current, t -> t.confirmCancelled(clock.instant(), retention)));
        } catch (JobFailedException e) {
            upload.abort();
            if (e.retryable()) {
                return retryLater(context.current, e.toError());
            }
            return Run.of(finish(context.current, t -> t.fail(e.toError(), clock.instant(), retention)));
        } catch (LeaseLostException e) {
            upload.abort();
            return Run.of(Outcome.SKIPPED);
        } catch (InfrastructureException e) {
            upload.abort();
            return retryLater(context.current, TEMPORARY_FAILURE);
        } catch (InterruptedException e) {
            upload.abort();
            Thread.currentThread().interrupt();
            return new Run(Outcome.RETRY, settings.retryBase());
        } catch (Exception e) {
            // a bug in the job: fail the task without exposing internals to the owner
            upload.abort();
            return Run.of(finish(context.current, t -> t.fail(new TaskError("job-error",
                    "The job failed with an unexpected error."), clock.instant(), retention)));
        }
        long size;
        try {
            size = upload.commit();
        } catch (RuntimeException e) {
            upload.abort();
            return retryLater(context.current, TEMPORARY_FAILURE);
        }
        TaskResult output = new TaskResult(contentType, size);
        return Run.of(finish(context.current, t -> t.succeed(output, clock.instant(), retention)));
    }

    /**
     * After the upload was suspended (it kept its stored parts): the task goes back to the queue
     * and on in a fresh message, which the next invocation resumes from. An attempt that stored
     * nothing new counts against the attempts, and after the last one the task fails.
     */
    private Run continueLater(Task current, boolean progressed) {
        if (!progressed && current.spentAttempts() >= settings.maxAttempts()) {
            discardCheckpoint(current);
            return Run.of(finish(current, t -> t.fail(NO_PROGRESS, clock.instant(), retention)));
        }
        Change suspended = apply(current, t -> t.suspend(clock.instant(), progressed ? null : NO_PROGRESS));
        if (suspended.outcome() != Outcome.FINISHED) {
            // lost the task, or the store is down: its lease runs out and the sweeper takes over
            return Run.of(Outcome.SKIPPED);
        }
        return handOn(suspended.written());
    }

    /** Drops a suspended upload of a task that will not continue: its parts and its checkpoint. */
    private void discardCheckpoint(Task task) {
        try {
            results.resume(task.id(), "application/octet-stream").abort();
        } catch (RuntimeException e) {
            // the bucket's lifecycle rules remove both within days
        }
    }

    /**
     * Gives the attempt up: the task goes back to the queue and the message is delivered again
     * after the backoff, or, after the last attempt, the task fails with the error.
     */
    private Run retryLater(Task current, TaskError error) {
        if (current.spentAttempts() >= settings.maxAttempts()) {
            return Run.of(finish(current, t -> t.fail(error, clock.instant(), retention)));
        }
        Duration delay = backoff(current.spentAttempts());
        try {
            Outcome outcome = finish(current, t -> t.requeue(error, clock.instant(), retention));
            if (outcome == Outcome.SKIPPED) {
                return Run.of(Outcome.SKIPPED);
            }
        } catch (RuntimeException storeDown) {
            // the lease runs out and the sweeper or the redelivery takes the task over
        }
        return new Run(Outcome.RETRY, delay);
    }

    /**
     * Applies a terminal change, re-reading on a lost race. Only the attempt holding the lease
     * may finish the task; a cancel requested meanwhile does not undo a finished run.
     */
    private Outcome finish(Task from, UnaryOperator<Task> change) {
        return apply(from, change).outcome();
    }

    /** What {@link #apply} did, and the task it wrote when it did. */
    private record Change(Outcome outcome, Task written) {
        static Change not(Outcome outcome) {
            return new Change(outcome, null);
        }
    }

    /** {@link #finish}, keeping the task written. */
    private Change apply(Task from, UnaryOperator<Task> change) {
        Task current = from;
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            Task next;
            try {
                next = change.apply(current);
            } catch (IllegalTransitionException e) {
                return Change.not(Outcome.SKIPPED);
            }
            try {
                if (store.replace(next)) {
                    measure(next);
                    return new Change(Outcome.FINISHED, next);
                }
                Optional<Task> fresh = store.find(current.id());
                if (fresh.isEmpty()) {
                    // deleted while running: remove anything this run stored for it
                    results.delete(current.id());
                    return Change.not(Outcome.SKIPPED);
                }
                if (fresh.get().isTerminal()
                        || !java.util.Objects.equals(fresh.get().runToken(), from.runToken())) {
                    return Change.not(Outcome.SKIPPED);
                }
                current = fresh.get();
            } catch (RuntimeException e) {
                return Change.not(Outcome.RETRY);
            }
        }
        return Change.not(Outcome.RETRY);
    }

    private void measure(Task finished) {
        if (!finished.isTerminal()) {
            return;
        }
        String name = switch (finished.status()) {
            case SUCCEEDED -> "TasksSucceeded";
            case FAILED -> "TasksFailed";
            default -> "TasksCancelled";
        };
        metrics.count(name, finished.type());
        if (finished.startedAt() != null) {
            metrics.milliseconds("TaskDuration", Duration.between(finished.startedAt(), finished.finishedAt()).toMillis(),
                    finished.type(), finished.id());
        }
    }

    /** Thrown inside a run when the invocation's time is nearly up and the job was checkpointed. */
    static final class SuspendedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean progressed;

        SuspendedException(boolean progressed) {
            super("suspended", null, false, false);
            this.progressed = progressed;
        }

        /** Whether the checkpoint holds more than the one this attempt resumed from. */
        boolean progressed() {
            return progressed;
        }
    }

    /** Thrown inside a run once its task waits for its children: the job unwinds, nothing more runs. */
    static final class AwaitingChildrenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AwaitingChildrenException() {
            super("waiting for children", null, false, false);
        }
    }

    /** Thrown inside a run when another attempt took the task over. */
    static final class LeaseLostException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseLostException() {
            super("lease lost", null, false, false);
        }
    }

    /** Thrown inside a run when the store failed: the message is retried, the task kept. */
    static final class InfrastructureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InfrastructureException(RuntimeException cause) {
            super("store unavailable", cause, false, false);
        }
    }

    private final class Context implements JobContext {
        private Task current;
        private final ResultUpload upload;
        private final Heartbeat heartbeat;
        private final boolean resumable;
        /** What the upload held when this attempt began: more at the checkpoint is progress. */
        private final long resumedFrom;
        private Instant lastWrite;

        Context(Task running, ResultUpload upload, Heartbeat heartbeat, boolean resumable) {
            this.current = running;
            this.upload = upload;
            this.heartbeat = heartbeat;
            this.resumable = resumable;
            this.resumedFrom = upload.storedBytes();
            this.lastWrite = clock.instant();
        }

        /**
         * A resumable job near the end of the invocation's time (under the yield margin) is
         * checkpointed and unwound, once it stored something new, or under half the margin
         * whatever it stored: that is a continuation without progress.
         */
        private void yieldIfOutOfTime() {
            Duration remaining = resumable ? heartbeat.remaining() : null;
            if (remaining == null || remaining.compareTo(settings.yieldMargin()) >= 0) {
                return;
            }
            boolean progressed = upload.storedBytes() > resumedFrom;
            if (!progressed && remaining.compareTo(settings.yieldMargin().dividedBy(2)) >= 0) {
                return;
            }
            long kept;
            try {
                kept = upload.suspend();
            } catch (RuntimeException e) {
                throw new InfrastructureException(e);
            }
            throw new SuspendedException(kept > resumedFrom);
        }

        @Override
        public void progress(int percent) {
            if (current.cancelRequested()) {
                throw new TaskCancelledException();
            }
            Instant now = clock.instant();
            // a write is also the heartbeat and the cancel check: made every interval, changed or not
            if (Duration.between(lastWrite, now).compareTo(progressInterval) < 0) {
                return;
            }
            yieldIfOutOfTime();
            int next = Math.max(0, Math.min(100, percent));
            try {
                write(next, now);
            } catch (TaskCancelledException | LeaseLostException | SuspendedException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new InfrastructureException(e);
            }
        }

        private void write(int percent, Instant now) {
            for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
                Task next = current.progress(percent, now, now.plus(lease));
                if (store.replace(next)) {
                    current = next;
                    lastWrite = now;
                    heartbeat.beat();
                    return;
                }
                Task fresh = store.find(current.id()).orElseThrow(LeaseLostException::new);
                if (fresh.isTerminal() || !java.util.Objects.equals(fresh.runToken(), current.runToken())) {
                    throw new LeaseLostException();
                }
                current = fresh;
                if (fresh.cancelRequested()) {
                    throw new TaskCancelledException();
                }
            }
            throw new InfrastructureException(new IllegalStateException("progress write kept conflicting"));
        }

        @Override
        public boolean cancelRequested() {
            return current.cancelRequested();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
            if (current.cancelRequested()) {
                throw new TaskCancelledException();
            }
        }

        @Override
        public OutputStream output() {
            return upload.stream();
        }

        /** Children this task's job spawned in earlier runs, by their place; read once per run. */
        private Map<Integer, String> spawned;
        private int spawns;

        @Override
        public String spawn(String type, Map<String, Object> parameters) {
            if (spawner == null) {
                throw new JobFailedException("spawn-unsupported", "This deployment does not run child tasks.");
            }
            if (current.cancelRequested()) {
                throw new TaskCancelledException();
            }
            int index = spawns++;
            try {
                if (spawned == null) {
                    spawned = new HashMap<>();
                    for (ChildTask child : store.children(current.owner(), current.id())) {
                        if (child.spawnIndex() != null) {
                            spawned.put(child.spawnIndex(), child.id());
                        }
                    }
                }
                String earlier = spawned.get(index);
                if (earlier != null) {
                    return earlier;
                }
                String id = spawner.spawn(current, index, type, parameters).id();
                spawned.put(index, id);
                return id;
            } catch (InvalidParametersException e) {
                throw new JobFailedException("invalid-child", "Child " + index + " (" + type + "): " + e.getMessage());
            } catch (RelativeChangedException e) {
                Task fresh = store.find(current.id()).orElseThrow(LeaseLostException::new);
                if (fresh.isTerminal() || !Objects.equals(fresh.runToken(), current.runToken())) {
                    throw new LeaseLostException();
                }
                if (fresh.cancelRequested()) {
                    throw new TaskCancelledException();
                }
                throw new JobFailedException("too-many-children",
                        "A task may have at most " + CreateTask.MAX_CHILDREN + " children.");
            } catch (RuntimeException e) {
                throw new InfrastructureException(e);
            }
        }

        /** The children the index lists, each read strongly consistent: the last to finish may lag in the index. */
        @Override
        public List<Child> children() {
            try {
                List<ChildTask> listed = store.children(current.owner(), current.id());
                List<String> ids = new ArrayList<>(listed.size());
                for (ChildTask child : listed) {
                    ids.add(child.id());
                }
                Map<String, Task> read = ids.isEmpty() ? Map.of() : store.findAll(ids);
                List<Child> children = new ArrayList<>(ids.size());
                for (String id : ids) {
                    Task child = read.get(id);
                    if (child != null) {
                        children.add(new Child(id, child.type(), child.status(), child.progress(), child.error()));
                    }
                }
                return children;
            } catch (RuntimeException e) {
                throw new InfrastructureException(e);
            }
        }

        @Override
        public void awaitChildren() {
            if (current.cancelRequested()) {
                throw new TaskCancelledException();
            }
            try {
                for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
                    Task waiting = current.awaitChildren(clock.instant());
                    if (store.awaitChildren(waiting)) {
                        current = waiting;
                        throw new AwaitingChildrenException();
                    }
                    Task fresh = store.find(current.id()).orElseThrow(LeaseLostException::new);
                    if (fresh.isTerminal() || !Objects.equals(fresh.runToken(), current.runToken())) {
                        throw new LeaseLostException();
                    }
                    if (fresh.cancelRequested()) {
                        throw new TaskCancelledException();
                    }
                    boolean unchanged = fresh.revision() == current.revision();
                    current = fresh;
                    if (unchanged && fresh.relatives().openChildren() == 0) {
                        return; // every child has finished: the job goes on
                    }
                }
            } catch (AwaitingChildrenException | LeaseLostException | TaskCancelledException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new InfrastructureException(e);
            }
            throw new InfrastructureException(new IllegalStateException("the wait kept conflicting"));
        }
    }
}
