package dev.longhaul.core.webhook;

import java.time.Duration;

/**
 * When to try a failed delivery again: {@code base * 4^(attempt-1)}, capped at SQS's 12-hour
 * visibility limit. With the defaults (30 s, 6 attempts) the waits are 30 s, 2 min, 8 min, 32 min
 * and 2 h 8 min: six attempts over 2 h 50 min.
 *
 * @param maxAttempts attempts in all, the first included; the queue's {@code maxReceiveCount}
 */
public record RetrySchedule(int maxAttempts, Duration base) {
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_BASE = Duration.ofSeconds(30);
    static final Duration MAX_DELAY = Duration.ofHours(12);

    public RetrySchedule {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (base.isNegative()) {
            throw new IllegalArgumentException("base must not be negative");
        }
    }

    public static RetrySchedule standard() {
        return new RetrySchedule(DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE);
    }

    public boolean isLast(int attempt) {
        return attempt >= maxAttempts;
    }

    /** How long to wait after failed attempt {@code attempt} (1 for the first). */
    public Duration delayAfter(int attempt) {
        int exponent = Math.max(0, Math.min(attempt - 1, 20));
        long seconds = base.getSeconds();
        for (int i = 0; i < exponent && seconds < MAX_DELAY.getSeconds(); i++) {
            seconds *= 4;
        }
        return Duration.ofSeconds(Math.min(seconds, MAX_DELAY.getSeconds()));
    }
}
