package dev.longhaul.core.schedule;

import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.usecase.CreateTask;
import dev.longhaul.core.usecase.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Run by the sweeper every minute: each schedule whose next tick has come creates that tick's
 * task, exactly once. The task's idempotency key is the tick's (a retried or duplicated sweep
 * finds the task the first one created) and the schedule moves on with a write conditional on its
 * revision (of two concurrent sweeps, one moves it). Ticks missed while no sweep could run are
 * skipped but the latest. A tick refused (the owner's active-task limit, a template no longer
 * valid) creates nothing and is recorded in {@code lastError}.
 */
public final class TickSchedules {
    private final ScheduleStore store;
    private final CreateTask createTask;
    private final Clock clock;
    private final int batchLimit;

    public TickSchedules(ScheduleStore store, CreateTask createTask, Clock clock, int batchLimit) {
        this.store = store;
        this.createTask = createTask;
        this.clock = clock;
        this.batchLimit = batchLimit;
    }

    /** What one run did. */
    public record Report(int due, int created, int refused) {
    }

    public Report execute() {
        Instant now = clock.instant();
        int created = 0;
        int refused = 0;
        var due = store.due(now, batchLimit);
        for (Schedule schedule : due) {
            Optional<Boolean> outcome = tick(schedule, now);
            if (outcome.isPresent()) {
                if (outcome.get()) {
                    created++;
                } else {
                    refused++;
                }
            }
        }
        return new Report(due.size(), created, refused);
    }

    /** True when the tick created (or found) its task, false when it was refused; empty when left for later. */
    private Optional<Boolean> tick(Schedule schedule, Instant now) {
        if (schedule.nextTick() == null || schedule.nextTick().isAfter(now)) {
            return Optional.empty();
        }
        Recurrence recurrence = schedule.recurrence();
        Instant tick = recurrence.latestDue(schedule.nextTick(), now);
        Instant next = recurrence.next(tick).orElse(null);
        String taskId = null;
        TaskError error = null;
        try {
            taskId = createTask.tick(schedule.owner(), schedule.id(), schedule.task(), tick).task().id();
        } catch (ProblemException e) {
            if (e.problem().code().equals("idempotency-key-in-use") || e.problem().kind() == dev.longhaul.core.usecase.Problem.Kind.UNAVAILABLE) {
                return Optional.empty(); // a concurrent sweep is creating it, or the store is busy: the next sweep goes on
            }
            error = new TaskError(e.problem().code(), e.problem().detail());
        }
        store.update(schedule.ticked(tick, next, taskId, error));
        return Optional.of(taskId != null);
    }
}
