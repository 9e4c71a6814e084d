package dev.longhaul.core.port;

import dev.longhaul.core.task.Task;
import java.util.Optional;

/**
 * Where tasks live. Writes are optimistic: {@link #replace} succeeds only while the stored task
 * is still at the revision the new state was derived from and is still active, so concurrent or
 * late writers can never overwrite a newer state.
 */
public interface TaskStore {

    /** Stores a new task; fails if the id exists. */
    void create(Task task);

    /** The task with this id, read strongly consistent. Expired tasks are returned too. */
    Optional<Task> find(String id);

    /**
     * Writes {@code next} if the stored task has {@code next.revision() - 1} as revision and is
     * not terminal. Returns false, writing nothing, when that condition does not hold.
     */
    boolean replace(Task next);

    /** Removes the task record; absent ids are ignored. */
    void delete(String id);
}
