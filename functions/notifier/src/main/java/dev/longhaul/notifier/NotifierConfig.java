package dev.longhaul.notifier;

import dev.longhaul.core.config.Environment;
import dev.longhaul.core.webhook.RetrySchedule;
import java.time.Duration;

/**
 * The notifier functions' configuration, read once at init. Names match template.yaml.
 *
 * @param schedule {@code WEBHOOK_MAX_ATTEMPTS} (the delivery queue's {@code maxReceiveCount})
 *                 and {@code WEBHOOK_BACKOFF_BASE_SECONDS}
 * @param timeout  the longest one delivery request may take, connecting included
 */
public record NotifierConfig(String tableName, String queueUrl, RetrySchedule schedule, Duration timeout) {

    public static NotifierConfig from(Environment env) {
        return new NotifierConfig(
                env.require("TASKS_TABLE"),
                env.require("WEBHOOK_QUEUE_URL"),
                new RetrySchedule(
                        (int) env.number("WEBHOOK_MAX_ATTEMPTS", RetrySchedule.DEFAULT_MAX_ATTEMPTS, 1, 100),
                        env.seconds("WEBHOOK_BACKOFF_BASE_SECONDS", RetrySchedule.DEFAULT_BASE.getSeconds(), 0, 43_200)),
                env.seconds("WEBHOOK_TIMEOUT_SECONDS", 10, 1, 60));
    }
}
