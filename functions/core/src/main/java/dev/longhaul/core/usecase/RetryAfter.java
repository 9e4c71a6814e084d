package dev.longhaul.core.usecase;

import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;

/** How long a client should wait before polling an unfinished task again, in seconds. */
public final class RetryAfter {
    static final long MIN = 1;
    static final long MAX = 30;

    private RetryAfter() {
    }

    public static long seconds(Task task, Instant now) {
        if (task.status() == TaskStatus.QUEUED) {
            return 2;
        }
        if (task.eta() == null) {
            return 2;
        }
        long remaining = Duration.between(now, task.eta()).getSeconds();
        // poll about when a quarter of the remaining time has passed, within bounds
        return Math.max(MIN, Math.min(MAX, remaining / 4));
    }
}
