package dev.longhaul.core.testing;

import dev.longhaul.core.webhook.Delivery;
import dev.longhaul.core.webhook.DeliveryQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Remembers what was queued and postponed. */
public final class InMemoryDeliveryQueue implements DeliveryQueue {
    private final List<Delivery> queued = new ArrayList<>();
    private final Map<String, Duration> postponed = new LinkedHashMap<>();
    private boolean failing;

    @Override
    public synchronized void enqueue(List<Delivery> deliveries) {
        if (failing) {
            throw new IllegalStateException("injected queue failure");
        }
        queued.addAll(deliveries);
    }

    @Override
    public synchronized void postpone(String receipt, Duration delay) {
        postponed.put(receipt, delay);
    }

    public synchronized void failing(boolean fail) {
        failing = fail;
    }

    public synchronized List<Delivery> queued() {
        return List.copyOf(queued);
    }

    public synchronized Map<String, Duration> postponed() {
        return Map.copyOf(postponed);
    }
}
