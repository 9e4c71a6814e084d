package dev.longhaul.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Concurrent {@code Prefer: wait} polls per owner, counted across every API instance (Lambda runs
 * each request in its own instance, so the count has to live in shared state). A wait holds a
 * slot while it lasts; a slot is leased, so one whose holder crashed before giving it back frees
 * itself after {@link #LEASE}.
 */
public interface WaitSlots {

    /** How long a slot lasts unless released: longer than the longest wait, so short that a leak heals quickly. */
    Duration LEASE = Duration.ofSeconds(15);

    /** A slot held by {@code owner} until released or {@code expiresAt}. */
    record Slot(String owner, String id, Instant expiresAt) {
    }

    /** A slot, or empty when the owner already holds as many unexpired slots as allowed. */
    Optional<Slot> tryAcquire(String owner, Instant now);

    /** Gives a slot back; one already expired or released is ignored. */
    void release(Slot slot);

    /** No cap: every wait gets a slot and nothing is stored. */
    static WaitSlots unlimited() {
        return new WaitSlots() {
            @Override
            public Optional<Slot> tryAcquire(String owner, Instant now) {
                return Optional.of(new Slot(owner, "unlimited", now.plus(LEASE)));
            }

            @Override
            public void release(Slot slot) {
                // nothing was taken
            }
        };
    }
}
