package dev.longhaul.core.port;

import dev.longhaul.core.task.Task;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where tasks live. Writes are optimistic: {@link #replace} succeeds only while the stored task
 * is still at the revision the new state was derived from and is still unfinished, so concurrent
 * or late writers can never overwrite a newer state.
 *
 * <p>The store also keeps, in the same atomic write as the task:
 * <ul>
 * <li>each owner's count of active (queued or running) tasks: a task takes a slot when it is
 * stored queued ({@link #create}) or promoted to queued ({@link #admit}), and gives it back with
 * its terminal {@link #replace} or its {@link #delete};</li>
 * <li>each named queue's lane: the task holding it (the one that may run) and how many wait
 * behind it. A task entering a busy lane is stored {@linkplain Task#isHeld() held};</li>
 * <li>a parent's {@link dev.longhaul.core.task.Relatives children counts}, taken by a child's
 * create and given back (the open count) when it finishes or is deleted;</li>
 * <li>a dependency's {@link dev.longhaul.core.task.Relatives#dependents() dependents};</li>
 * <li>the grants of a task's {@code access} list, by which subjects find the tasks shared with them.</li>
 * </ul>
 */
public interface TaskStore {

    /**
     * Stores a new task: one of its owner's active slots when it is queued (under the
     * admission's limit), its idempotency key, its turn in its named queue, its place among its
     * parent's children and its dependencies' dependents, and its grants, all or nothing.
     *
     * @return the task as stored: held when its named queue was busy
     * @throws ActiveTaskLimitException    when the owner already has {@code maxActive} active tasks
     * @throws IdempotencyKeyTakenException when another request took the key meanwhile
     * @throws RelativeChangedException    when its parent or a dependency finished meanwhile, or
     *                                     the parent has its most children already
     */
    Task create(Task task, Admission admission);

    /** Stores a new task with no limit and no idempotency key. */
    default Task create(Task task) {
        return create(task, Admission.UNLIMITED);
    }

    /** The task with this id, read strongly consistent. Expired tasks are returned too. */
    Optional<Task> find(String id);

    /** The tasks with these ids that exist, by id, read strongly consistent. */
    Map<String, Task> findAll(Collection<String> ids);

    /**
     * Writes {@code next} if the stored task has {@code next.revision() - 1} as revision and is
     * not terminal. When {@code next} is terminal, gives back the owner's slot (if the task held
     * one), its place in its named queue's waiting line (if it was held) and its parent's open
     * child count. Returns false, writing nothing, when the condition does not hold.
     */
    boolean replace(Task next);

    /**
     * Writes a task promoted to queued (from blocked or scheduled) as {@link #replace} does, and
     * takes one of its owner's slots, over the limit if need be (the task was accepted when it was
     * created), and its turn in its named queue or a place in its waiting line.
     *
     * @return the task as stored (held when its named queue was busy); empty when the condition
     *         of {@link #replace} does not hold
     */
    Optional<Task> admit(Task next);

    /**
     * Deletes the task if it is still at {@code current}'s revision, giving back what
     * {@link #replace} gives back for a terminal write when it was unfinished. Returns false,
     * deleting nothing, otherwise. (A lane its task held is passed on by whoever sees the removal.)
     */
    boolean delete(Task current);

    /** Undoes a {@link #create} whose task could not be queued: task, slot, key, parent counts and grants. */
    void undoCreate(Task task, Admission admission);

    /** One page of tasks, newest first, read from an index (never a scan); see {@link TaskQuery}. */
    TaskPage list(String owner, TaskQuery query);

    /**
     * Unfinished tasks due for the sweeper at {@code now} (see {@link Task#sweepAt()}), oldest
     * first, at most {@code limit}, read from an index of unfinished tasks (never a scan).
     */
    List<Task> dueForSweep(Instant now, int limit);

    /** Leaves a task the sweeper found nothing to do about until {@code until}; harmless if it changed. */
    void snooze(Task task, Instant until);

    /** The unexpired record of an idempotency key, if any. */
    Optional<IdempotencyRecord> findIdempotencyKey(String owner, String key);

    /** The lane of an owner's named queue, read strongly consistent. */
    Lane lane(String owner, String queue);

    /**
     * The queued tasks of an owner's named queue, oldest first (the one holding the lane, if not
     * started, and those held behind it), from an index: recent changes may be missing.
     */
    List<LaneEntry> queuedInLane(String owner, String queue);

    /**
     * Passes the lane from {@code holder} to {@code next} (a held task at its turn, see
     * {@link Task#takeTurn}), writing it, if {@code holder} still holds the lane and {@code next}
     * is unchanged. False, writing nothing, otherwise.
     */
    boolean passTurn(String owner, String queue, String holder, Task next);

    /** Frees the lane if {@code holder} still holds it and nothing waits; false otherwise. */
    boolean freeLane(String owner, String queue, String holder);

    /** A parent's children, oldest first, from an index: recent changes may be missing. */
    List<ChildTask> children(String owner, String parentId);

    /**
     * Writes {@code next} (its job waiting for its children) as {@link #replace} does, if the task
     * still has unfinished children; false, writing nothing, otherwise or on a changed revision.
     */
    boolean awaitChildren(Task next);

    /**
     * Writes {@code next}, whose {@code access} changed, if the stored task is still at
     * {@code current}'s revision (finished or not), adding and removing its grants. False, writing
     * nothing, otherwise.
     */
    boolean changeAccess(Task current, Task next);

    /** Removes what links other tasks' listings to a task that is gone (its grants, its schedule's); harmless twice. */
    void removeLinks(Task removed);
}
