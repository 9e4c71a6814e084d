package dev.longhaul.core.testing;

import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.Task;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what was enqueued; can be switched to fail like an unreachable queue. */
public final class InMemoryWorkQueue implements WorkQueue {
    private final List<Task> enqueued = new CopyOnWriteArrayList<>();
    private final List<java.time.Duration> delays = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    @Override
    public void enqueue(Task task) {
        if (failing) {
            throw new IllegalStateException("injected queue failure");
        }
        enqueued.add(task);
        delays.add(java.time.Duration.ZERO);
    }

    @Override
    public void enqueue(Task task, java.time.Duration delay) {
        if (failing) {
            throw new IllegalStateException("injected queue failure");
        }
        enqueued.add(task);
        delays.add(delay);
    }

    /** The delay each message of {@link #enqueued()} was sent with, in the same order. */
    public List<java.time.Duration> delays() {
        return List.copyOf(delays);
    }

    public void failing(boolean fail) {
        this.failing = fail;
    }

    public List<Task> enqueued() {
        return List.copyOf(enqueued);
    }
}
