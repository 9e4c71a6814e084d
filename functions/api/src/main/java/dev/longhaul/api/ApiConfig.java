package dev.longhaul.api;

import dev.longhaul.core.config.Environment;
import java.time.Duration;

/** The API function's configuration, read once at init. Names match template.yaml. */
public record ApiConfig(String tableName, String queueUrl, String bucket, Duration presignTtl) {

    public static ApiConfig from(Environment env) {
        return new ApiConfig(
                env.require("TASKS_TABLE"),
                env.require("WORK_QUEUE_URL"),
                env.require("RESULTS_BUCKET"),
                env.seconds("PRESIGN_TTL_SECONDS", 300, 1, 604_800));
    }
}
