package dev.longhaul.core.usecase;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Hands out a short-lived download link for a succeeded task's result. The link lives the
 * configured presign time and never past the task's expiry.
 */
public final class GetResult {
    private final GetTask getTask;
    private final ResultStore results;
    private final JobRegistry jobs;
    private final Clock clock;
    private final Duration presignTtl;

    public GetResult(GetTask getTask, ResultStore results, JobRegistry jobs, Clock clock, Duration presignTtl) {
        this.getTask = getTask;
        this.results = results;
        this.jobs = jobs;
        this.clock = clock;
        this.presignTtl = presignTtl;
    }

    /** A download link, how long it lives, and when it stops working (whole seconds, never late). */
    public record Download(URI url, Duration ttl, Instant expiresAt) {
    }

    public Download execute(String owner, String id) {
        Task task = getTask.execute(owner, id);
        if (task.status() == TaskStatus.FAILED) {
            Problem p = Problem.of(Problem.Kind.CONFLICT, "task-failed", "Task failed",
                    "The task failed and has no result: " + task.error().message());
            throw p.with("error", task.error().toJson()).exception();
        }
        if (task.status() == TaskStatus.CANCELLED) {
            throw Problem.of(Problem.Kind.CONFLICT, "task-cancelled", "Task cancelled",
                    "The task was cancelled and has no result.").exception();
        }
        if (task.status() != TaskStatus.SUCCEEDED) {
            throw Problem.of(Problem.Kind.CONFLICT, "result-not-ready", "Result not ready",
                    "The task is " + task.status() + "; poll the task until it succeeds.")
                    .with("retryAfter", RetryAfter.seconds(task, clock.instant())).exception();
        }
        Instant now = clock.instant();
        Duration untilExpiry = Duration.between(now, task.expiresAt());
        Duration ttl = untilExpiry.compareTo(presignTtl) < 0 ? untilExpiry : presignTtl;
        if (ttl.getSeconds() < 1) {
            ttl = Duration.ofSeconds(1);
        }
        Job job = jobs.find(task.type()).orElse(null);
        String extension = job == null ? "bin" : job.fileExtension(task.parameters());
        URI url = results.presignedDownload(task.id(), task.result().contentType(), task.id() + "." + extension, ttl);
        return new Download(url, ttl, now.plus(ttl).truncatedTo(ChronoUnit.SECONDS));
    }
}
