package dev.longhaul.core.testing;

import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.ChildTask;
import dev.longhaul.core.port.Lane;
import dev.longhaul.core.port.LaneEntry;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.port.TaskPage;
import dev.longhaul.core.port.TaskQuery;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link TaskStore} that forwards to another and lets a test act between calls: after a read,
 * before a write, so a use case meets the interleaving a concurrent request would cause.
 */
public final class InterceptingTaskStore implements TaskStore {
    private final TaskStore delegate;
    private volatile Consumer<Task> afterFind = t -> { };
    private volatile boolean hideIdempotencyKeys;
    private volatile Runnable afterFindAll = () -> { };

    public InterceptingTaskStore(TaskStore delegate) {
        this.delegate = delegate;
    }

    /** Runs {@code action} once, after the next {@link #find} that found a task. */
    public void onceAfterFind(Consumer<Task> action) {
        afterFind = found -> {
            afterFind = t -> { };
            action.accept(found);
        };
    }

    /** Runs {@code action} once, after the next {@link #findAll}. */
    public void onceAfterFindAll(Runnable action) {
        afterFindAll = () -> {
            afterFindAll = () -> { };
            action.run();
        };
    }

    /** Makes {@link #findIdempotencyKey} find nothing, as a request racing another one would. */
    public void hideIdempotencyKeys(boolean hide) {
        hideIdempotencyKeys = hide;
    }

    @Override
    public Task create(Task task, Admission admission) {
        return delegate.create(task, admission);
    }

    @Override
    public Optional<Task> find(String id) {
        Optional<Task> found = delegate.find(id);
        found.ifPresent(t -> afterFind.accept(t));
        return found;
    }

    @Override
    public boolean replace(Task next) {
        return delegate.replace(next);
    }

    @Override
    public boolean delete(Task current) {
        return delegate.delete(current);
    }

    @Override
    public void undoCreate(Task task, Admission admission) {
        delegate.undoCreate(task, admission);
    }

    @Override
    public TaskPage list(String owner, TaskQuery query) {
        return delegate.list(owner, query);
    }

    @Override
    public List<Task> dueForSweep(Instant now, int limit) {
        return delegate.dueForSweep(now, limit);
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyKey(String owner, String key) {
        return hideIdempotencyKeys ? Optional.empty() : delegate.findIdempotencyKey(owner, key);
    }

    @Override
    public Map<String, Task> findAll(Collection<String> ids) {
        Map<String, Task> found = delegate.findAll(ids);
        afterFindAll.run();
        return found;
    }

    @Override
    public Optional<Task> admit(Task next) {
        return delegate.admit(next);
    }

    @Override
    public void snooze(Task task, Instant until) {
        delegate.snooze(task, until);
    }

    @Override
    public Lane lane(String owner, String queue) {
        return delegate.lane(owner, queue);
    }

    @Override
    public List<LaneEntry> queuedInLane(String owner, String queue) {
        return delegate.queuedInLane(owner, queue);
    }

    @Override
    public boolean passTurn(String owner, String queue, String holder, Task next) {
        return delegate.passTurn(owner, queue, holder, next);
    }

    @Override
    public boolean freeLane(String owner, String queue, String holder) {
        return delegate.freeLane(owner, queue, holder);
    }

    @Override
    public List<ChildTask> children(String owner, String parentId) {
        return delegate.children(owner, parentId);
    }

    @Override
    public boolean awaitChildren(Task next) {
        return delegate.awaitChildren(next);
    }

    @Override
    public boolean changeAccess(Task current, Task next) {
        return delegate.changeAccess(current, next);
    }

    @Override
    public void removeLinks(Task removed) {
        delegate.removeLinks(removed);
    }
}
