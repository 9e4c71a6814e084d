package dev.longhaul.worker;

import dev.longhaul.core.config.Environment;
import java.time.Duration;

/**
 * The worker's configuration, read once at init. Names match template.yaml.
 *
 * @param lease            how long a claim holds without a heartbeat; shorter than the queue's
 *                         visibility timeout, so a redelivered message finds the lease expired
 * @param progressInterval at most one progress write per task per this interval
 */
public record WorkerConfig(String tableName, String bucket, Duration resultTtl, Duration lease,
                           Duration progressInterval) {

    public static WorkerConfig from(Environment env) {
        return new WorkerConfig(
                env.require("TASKS_TABLE"),
                env.require("RESULTS_BUCKET"),
                env.seconds("RESULT_TTL_SECONDS", 3600, 1, 31_536_000),
                env.seconds("LEASE_SECONDS", 300, 5, 43_200),
                Duration.ofMillis(env.number("PROGRESS_INTERVAL_MILLIS", 1000, 0, 60_000)));
    }
}
