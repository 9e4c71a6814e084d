package dev.longhaul.core.schedule;

import dev.longhaul.core.task.TaskError;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A recurring schedule: each tick creates one task from {@code task}, a create request without
 * relatives. Every change is a new schedule with {@code revision} one higher, written only if the
 * stored one is still at the revision it was derived from.
 *
 * @param cron       a five-field cron expression, or null for a rate
 * @param rate       a rate such as {@code "15 minutes"}, or null for a cron expression
 * @param timezone   the IANA time zone a cron expression is read in
 * @param task       the create request of each tick's task
 * @param nextTick   the next tick; null when the expression never ticks again
 * @param lastTick   the last tick handled, null before the first
 * @param lastTaskId the task the last tick created, null when it created none
 * @param lastError  why the last tick created no task (the owner's limit, a template no longer valid), or null
 */
public record Schedule(String id, String owner, String cron, String rate, String timezone, Map<String, Object> task,
                       Instant createdAt, Instant nextTick, Instant lastTick, String lastTaskId, TaskError lastError,
                       long revision) {

    public Schedule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        task = task == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(task));
    }

    /** When it ticks; {@code shortestRate} only bounds rates given now, so stored ones always read. */
    public Recurrence recurrence() {
        return cron != null ? Recurrence.cron(cron, ZoneId.of(timezone))
                : Recurrence.rate(rate, createdAt, Duration.ofSeconds(1));
    }

    /** The schedule after handling the tick {@code tick}: the task it created, or why none. */
    public Schedule ticked(Instant tick, Instant next, String taskId, TaskError error) {
        return new Schedule(id, owner, cron, rate, timezone, task, createdAt, next, tick, taskId, error, revision + 1);
    }
}
