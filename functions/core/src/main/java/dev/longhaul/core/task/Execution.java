package dev.longhaul.core.task;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt at running a task. {@code outcome} is {@code running} while the attempt holds the
 * lease, then one of {@code succeeded}, {@code failed}, {@code cancelled}, {@code abandoned} (the
 * worker vanished and another attempt took over), {@code retried} or {@code continued} (the job
 * checkpointed and goes on in a new invocation; with an error when it stored nothing new).
 */
public record Execution(int attempt, Instant startedAt, Instant finishedAt, String outcome, TaskError error) {

    public Execution finish(Instant at, String finalOutcome, TaskError failure) {
        return new Execution(attempt, startedAt, at, finalOutcome, failure);
    }

    public boolean isOpen() {
        return "running".equals(outcome);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", attempt);
        m.put("startedAt", startedAt);
        m.put("finishedAt", finishedAt);
        m.put("outcome", outcome);
        m.put("error", error == null ? null : error.toJson());
        return m;
    }
}
