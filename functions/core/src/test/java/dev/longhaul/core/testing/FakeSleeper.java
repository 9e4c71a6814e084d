package dev.longhaul.core.testing;

import dev.longhaul.core.usecase.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Time that passes only when slept: each sleep moves the monotonic time (and the wall clock, when
 * given) by exactly the duration asked, records it, and may run an action (a change made by
 * another client while the caller sleeps).
 */
public final class FakeSleeper implements Sleeper {
    private final MutableClock clock;
    private final List<Duration> sleeps = new ArrayList<>();
    private long nanos;
    private IntConsumer onSleep = n -> { };

    public FakeSleeper(MutableClock clock) {
        this.clock = clock;
    }

    /** Runs {@code action} with the number of each sleep (1 for the first), once it is slept. */
    public synchronized FakeSleeper onSleep(IntConsumer action) {
        this.onSleep = action;
        return this;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) {
        int n;
        synchronized (this) {
            sleeps.add(duration);
            nanos += duration.toNanos();
            if (clock != null) {
                clock.advance(duration);
            }
            n = sleeps.size();
        }
        onSleep.accept(n);
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    public synchronized Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
