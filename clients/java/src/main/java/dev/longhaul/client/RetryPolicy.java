package dev.longhaul.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * When the client repeats a request: on {@code 429}, on {@code 503} and on network errors, after
 * the answer's {@code Retry-After} (else an exponential backoff with jitter), within a bound on
 * attempts and on the total time. A retry that would end past {@link #maxElapsed()} is not made.
 *
 * <p>Only requests whose repetition is harmless are retried after a network error: reads,
 * cancels, deletes, and creates, which always carry an {@code Idempotency-Key}. A webhook
 * subscription is retried only on an answer saying it was not processed ({@code 429}, or a {@code
 * 503} problem), never after a lost answer.
 */
public final class RetryPolicy {
    private final int maxAttempts;
    private final Duration maxElapsed;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Consumer<Retry> listener;

    private RetryPolicy(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.maxElapsed = builder.maxElapsed;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.listener = builder.listener;
    }

    /** Four attempts within 30 seconds, backing off from half a second. */
    public static RetryPolicy defaults() {
        return builder().build();
    }

    /** One attempt: every error reaches the caller at once. */
    public static RetryPolicy none() {
        return builder().maxAttempts(1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Attempts in all, the first included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** No retry is made that would start later than this after the first attempt. */
    public Duration maxElapsed() {
        return maxElapsed;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The wait before attempt {@code failedAttempt + 1} when the answer named none: doubling, capped, jittered. */
    Duration backoff(int failedAttempt, double random) {
        long base = initialBackoff.toMillis() << Math.min(failedAttempt - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        return Duration.ofMillis(capped / 2 + (long) (capped / 2.0 * random));
    }

    void notifyRetry(Retry retry) {
        listener.accept(retry);
    }

    /**
     * One retry about to be made.
     *
     * @param attempt the attempt that failed, from 1
     * @param status  its HTTP status, or 0 when it got no answer
     * @param failure the network error, when it got no answer
     * @param delay   the wait before the next attempt
     */
    public record Retry(String method, URI uri, int attempt, int status, IOException failure, Duration delay) {
    }

    public static final class Builder {
        private int maxAttempts = 4;
        private Duration maxElapsed = Duration.ofSeconds(30);
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private Consumer<Retry> listener = retry -> { };

        private Builder() {
        }

        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder maxElapsed(Duration maxElapsed) {
            this.maxElapsed = positive(maxElapsed, "maxElapsed");
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = positive(initialBackoff, "initialBackoff");
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive(maxBackoff, "maxBackoff");
            return this;
        }

        /** Told before each retry (for logging or metrics); it must not block. */
        public Builder onRetry(Consumer<Retry> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public RetryPolicy build() {
            return new RetryPolicy(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return duration;
        }
    }
}
