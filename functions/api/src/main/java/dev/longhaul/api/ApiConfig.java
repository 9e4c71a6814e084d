package dev.longhaul.api;

import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import java.time.Duration;

/**
 * The API function's configuration, read once at init. Names match template.yaml.
 *
 * @param resultTtl         how long a task cancelled while queued is kept
 * @param maxActivePerOwner queued plus running tasks an owner may have; 0 disables the limit
 * @param demoJobs          whether the demo job types are accepted
 * @param maxWaitsPerOwner  concurrent {@code Prefer: wait} polls an owner may have going; 0
 *                          disables the cap
 * @param secretsKeyArn     the KMS key that encrypts the secrets the table keeps (page-token
 *                          keys, webhook signing secrets)
 * @param shortestScheduleRate the shortest {@code rate} a schedule may have (a minute: the
 *                          sweeper that ticks schedules runs once a minute on AWS)
 */
public record ApiConfig(String tableName, String queueUrl, String bucket, Duration presignTtl,
                        Duration resultTtl, int maxActivePerOwner, boolean demoJobs, int maxWaitsPerOwner,
                        String secretsKeyArn, Duration shortestScheduleRate) {

    public static ApiConfig from(Environment env) {
        return new ApiConfig(
                env.require("TASKS_TABLE"),
                env.require("WORK_QUEUE_URL"),
                env.require("RESULTS_BUCKET"),
                // a URL signed with role credentials dies with them: an hour at most
                env.seconds("PRESIGN_TTL_SECONDS", 300, 1, 3600),
                env.seconds("RESULT_TTL_SECONDS", 3600, 1, 31_536_000),
                (int) env.number("MAX_ACTIVE_TASKS_PER_OWNER", 100, 0, 1_000_000),
                JobRegistry.demoJobsEnabled(env),
                (int) env.number("MAX_WAITS_PER_OWNER", 5, 0, 1_000),
                env.require("SECRETS_KEY_ARN"),
                env.seconds("SHORTEST_SCHEDULE_RATE_SECONDS", 60, 1, 86_400));
    }
}
