package dev.longhaul.core.port;

import dev.longhaul.core.task.Task;
import java.time.Duration;

/** Hands queued tasks to workers. Delivery is at least once; workers are idempotent. */
public interface WorkQueue {
    /** The longest delay a message may be given (SQS's limit). */
    Duration MAX_DELAY = Duration.ofMinutes(15);

    void enqueue(Task task);

    /** Sends the task to be delivered no sooner than {@code delay} from now (at most {@link #MAX_DELAY}). */
    default void enqueue(Task task, Duration delay) {
        enqueue(task);
    }
}
