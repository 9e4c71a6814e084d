package dev.longhaul.core.usecase;

import java.time.Duration;

/** Monotonic time and sleeping, for waits; tests replace both with a time that passes when slept. */
public interface Sleeper {

    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    /** {@link System#nanoTime()} and {@link Thread#sleep(long)}. */
    static Sleeper system() {
        return new Sleeper() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }
        };
    }
}
