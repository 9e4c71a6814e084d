package dev.longhaul.core.testing;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.log.Metrics;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.usecase.CoordinateTasks;
import dev.longhaul.core.usecase.CreateTask;
import dev.longhaul.core.usecase.RunTask;
import dev.longhaul.core.usecase.SweepTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The task model wired on in-memory ports, with the table's stream played by hand: {@link #settle}
 * hands every recorded change to {@link CoordinateTasks}, as the dispatcher does, and
 * {@link #runQueued} runs what the work queue received, as the worker does.
 */
public final class Flows {
    public static final Duration RETENTION = Duration.ofHours(1);
    public final MutableClock clock = MutableClock.at("2026-11-25T08:00:00Z");
    public final InMemoryTaskStore store = new InMemoryTaskStore(clock);
    public final InMemoryWorkQueue queue = new InMemoryWorkQueue();
    public final InMemoryResultStore results = new InMemoryResultStore();
    public final SequenceIds ids = new SequenceIds();
    public final CoordinateTasks coordination = new CoordinateTasks(store, queue, clock, RETENTION);
    public final JobRegistry jobs;
    public final CreateTask create;
    public final RunTask run;
    public final SweepTasks sweep;
    private int delivered;

    public Flows(JobRegistry jobs, int maxActive) {
        this.jobs = jobs;
        this.create = new CreateTask(store, queue, jobs, ids, clock, maxActive, null, RETENTION);
        this.run = new RunTask(store, results, queue, jobs, new SequenceIds(), clock,
                new RunTask.Settings(RETENTION, Duration.ofMinutes(5), Duration.ofSeconds(1), 3, Duration.ofSeconds(30),
                        Duration.ofMinutes(4), Duration.ofSeconds(60)), Metrics.NONE, create);
        this.sweep = new SweepTasks(store, queue, clock, RETENTION, 3, 1000);
    }

    public Flows(JobRegistry jobs) {
        this(jobs, 0);
    }

    /** Creates a task as the API would, for {@code owner}. */
    public Task create(String owner, Map<String, Object> body) {
        return create.execute(owner, body, null).task();
    }

    /** Hands every change recorded so far (and those it causes) to the coordination. */
    public void settle() {
        for (int round = 0; round < 1000; round++) {
            List<InMemoryTaskStore.Change> changes = store.drainChanges();
            if (changes.isEmpty()) {
                return;
            }
            for (InMemoryTaskStore.Change change : changes) {
                coordination.onChange(change.before(), change.after(), false);
            }
        }
        throw new IllegalStateException("changes never settled");
    }

    /** The messages sent to the work queue that were not run yet, oldest first. */
    public List<Task> pendingMessages() {
        List<Task> all = queue.enqueued();
        return new ArrayList<>(all.subList(delivered, all.size()));
    }

    /** Runs every message sent so far, in order, settling after each, until none is left. */
    public List<RunTask.Outcome> runQueued() {
        List<RunTask.Outcome> outcomes = new ArrayList<>();
        settle();
        while (delivered < queue.enqueued().size()) {
            Task message = queue.enqueued().get(delivered++);
            outcomes.add(run.execute(message));
            settle();
        }
        return outcomes;
    }

    /** Runs the next message only, settling after it. */
    public RunTask.Outcome runNext() {
        settle();
        Task message = queue.enqueued().get(delivered++);
        RunTask.Outcome outcome = run.execute(message);
        settle();
        return outcome;
    }

    /** Drops the messages sent so far without running them (a lost send, a test's own order). */
    public void skipMessages() {
        delivered = queue.enqueued().size();
    }

    public Task get(String id) {
        return store.get(id);
    }
}
