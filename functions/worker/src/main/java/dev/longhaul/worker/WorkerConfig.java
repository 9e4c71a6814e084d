package dev.longhaul.worker;

import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.usecase.RunTask;
import java.time.Duration;

/**
 * The worker's configuration, read once at init. Names match template.yaml.
 *
 * @param queueUrl the work queue, whose messages the worker hides while their task runs or
 *                 until their next attempt is due
 * @param run      lease, progress pacing and retry policy
 * @param demoJobs whether the demo job types run (a task of a type left out fails as unknown-type)
 */
public record WorkerConfig(String tableName, String bucket, String queueUrl, RunTask.Settings run, boolean demoJobs) {

    public static WorkerConfig from(Environment env) {
        return new WorkerConfig(
                env.require("TASKS_TABLE"),
                env.require("RESULTS_BUCKET"),
                env.require("WORK_QUEUE_URL"),
                new RunTask.Settings(
                        env.seconds("RESULT_TTL_SECONDS", 3600, 1, 31_536_000),
                        env.seconds("LEASE_SECONDS", 300, 1, 43_200),
                        Duration.ofMillis(env.number("PROGRESS_INTERVAL_MILLIS", 1000, 0, 60_000)),
                        (int) env.number("MAX_ATTEMPTS", 3, 1, 100),
                        env.seconds("RETRY_BASE_SECONDS", 30, 0, 43_200),
                        env.seconds("RETRY_MAX_SECONDS", 240, 0, 43_200),
                        env.seconds("YIELD_MARGIN_SECONDS", 60, 0, 900)),
                JobRegistry.demoJobsEnabled(env));
    }
}
