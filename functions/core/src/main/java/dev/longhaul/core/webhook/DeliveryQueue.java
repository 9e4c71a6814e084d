package dev.longhaul.core.webhook;

import java.time.Duration;
import java.util.List;

/** Deliveries waiting to be sent. At least once: a delivery may be sent twice, with the same id. */
public interface DeliveryQueue {

    /** Queues all of them, or throws (some may have been queued: they are sent at least once). */
    void enqueue(List<Delivery> deliveries);

    /** Makes a received delivery reappear after {@code delay} instead of the queue's default. */
    void postpone(String receipt, Duration delay);
}
