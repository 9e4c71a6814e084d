package dev.longhaul.core.testing;

import dev.longhaul.core.port.WaitSlots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wait slots in memory, shared by whoever holds this object (as the table is by every Lambda
 * instance): at most {@code maxPerOwner} unexpired slots per owner, each leased for {@code lease}.
 */
public final class InMemoryWaitSlots implements WaitSlots {
    private final int maxPerOwner;
    private final Duration lease;
    private final List<Slot> slots = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private int failures;

    public InMemoryWaitSlots(int maxPerOwner, Duration lease) {
        this.maxPerOwner = maxPerOwner;
        this.lease = lease;
    }

    public InMemoryWaitSlots(int maxPerOwner) {
        this(maxPerOwner, WaitSlots.LEASE);
    }

    /** The next {@code n} calls to {@link #tryAcquire} fail as a throttled table would. */
    public synchronized void failNext(int n) {
        failures = n;
    }

    @Override
    public synchronized Optional<Slot> tryAcquire(String owner, Instant now) {
        if (failures > 0) {
            failures--;
            throw new IllegalStateException("wait slots unavailable");
        }
        slots.removeIf(slot -> !slot.expiresAt().isAfter(now));
        if (held(owner) >= maxPerOwner) {
            return Optional.empty();
        }
        Slot slot = new Slot(owner, "slot-" + ids.incrementAndGet(), now.plus(lease));
        slots.add(slot);
        return Optional.of(slot);
    }

    @Override
    public synchronized void release(Slot slot) {
        slots.remove(slot);
    }

    /** Slots the owner holds, expired ones included until the next acquire drops them. */
    public synchronized long held(String owner) {
        return slots.stream().filter(slot -> slot.owner().equals(owner)).count();
    }
}
