package dev.longhaul.core.port;

import dev.longhaul.core.task.Task;
import java.util.Optional;

/**
 * Where tasks live. Writes are optimistic: {@link #replace} succeeds only while the stored task
 * is still at the revision the new state was derived from and is still active, so concurrent or
 * late writers can never overwrite a newer state.
 *
 * <p>The store also keeps each owner's count of active (queued or running) tasks, changed in the
 * same atomic write as the task: {@link #create} takes a slot, a terminal {@link #replace} and
 * the {@link #delete} of an active task give it back.
 */
public interface TaskStore {

    /**
     * Stores a new task, taking one of its owner's active slots and, when the admission carries
     * one, its idempotency key, all or nothing.
     *
     * @throws ActiveTaskLimitException    when the owner already has {@code maxActive} active tasks
     * @throws IdempotencyKeyTakenException when another request took the key meanwhile
     */
    void create(Task task, Admission admission);

    /** Stores a new task with no limit and no idempotency key. */
    default void create(Task task) {
        create(task, Admission.UNLIMITED);
    }

    /** The task with this id, read strongly consistent. Expired tasks are returned too. */
    Optional<Task> find(String id);

    /**
     * Writes {@code next} if the stored task has {@code next.revision() - 1} as revision and is
     * not terminal, releasing the owner's slot when {@code next} is terminal. Returns false,
     * writing nothing, when that condition does not hold.
     */
    boolean replace(Task next);

    /**
     * Deletes the task if it is still at {@code current}'s revision, releasing the owner's slot
     * when it was active. Returns false, deleting nothing, otherwise.
     */
    boolean delete(Task current);

    /** Undoes a {@link #create} whose task could not be queued: task, slot and key. */
    void undoCreate(Task task, Admission admission);

    /** One page of an owner's tasks, newest first, read from an index (never a scan). */
    TaskPage list(String owner, TaskQuery query);

    /**
     * Active tasks due for the sweeper at {@code now} (see {@link Task#sweepAt()}), oldest first,
     * at most {@code limit}, read from an index of active tasks (never a scan).
     */
    java.util.List<Task> dueForSweep(java.time.Instant now, int limit);

    /** The unexpired record of an idempotency key, if any. */
    Optional<IdempotencyRecord> findIdempotencyKey(String owner, String key);
}
