package dev.longhaul.maintenance;

import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import java.time.Duration;

/** Configuration of the maintenance functions, read once at init. Names match template.yaml. */
public record MaintenanceConfig(String tableName, String queueUrl, String bucket, Duration resultTtl,
                                int maxAttempts, int sweepBatchLimit, int maxActivePerOwner, boolean demoJobs) {

    public static MaintenanceConfig from(Environment env) {
        return new MaintenanceConfig(
                env.require("TASKS_TABLE"),
                env.optional("WORK_QUEUE_URL", null),
                env.optional("RESULTS_BUCKET", null),
                env.seconds("RESULT_TTL_SECONDS", 3600, 1, 31_536_000),
                (int) env.number("MAX_ATTEMPTS", 3, 1, 100),
                (int) env.number("SWEEP_BATCH_LIMIT", 500, 1, 10_000),
                // the schedules' ticks create tasks under the owner's limit, as the API does
                (int) env.number("MAX_ACTIVE_TASKS_PER_OWNER", 100, 0, 1_000_000),
                JobRegistry.demoJobsEnabled(env));
    }

    String requireQueueUrl() {
        if (queueUrl == null) {
            throw new IllegalStateException("environment variable WORK_QUEUE_URL is required");
        }
        return queueUrl;
    }

    String requireBucket() {
        if (bucket == null) {
            throw new IllegalStateException("environment variable RESULTS_BUCKET is required");
        }
        return bucket;
    }
}
