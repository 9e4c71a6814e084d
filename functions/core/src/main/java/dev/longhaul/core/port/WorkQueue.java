package dev.longhaul.core.port;

import dev.longhaul.core.task.Task;

/** Hands queued tasks to workers. Delivery is at least once; workers are idempotent. */
public interface WorkQueue {
    void enqueue(Task task);
}
