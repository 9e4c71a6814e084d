package dev.longhaul.core.testing;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.port.ActiveTaskLimitException;
import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.IdempotencyKeyTakenException;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.port.TaskPage;
import dev.longhaul.core.port.TaskQuery;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A {@link TaskStore} with the port's conditional semantics. Tasks are kept in their serialized
 * form, so what {@link #find} returns is a fresh copy, as from a real table. Counts every call
 * and can be told to fail the next calls, to stand in for an unavailable table.
 */
public final class InMemoryTaskStore implements TaskStore {
    private RuntimeException failureAfterCreate;
    private RuntimeException undoFailure;
    private final Clock clock;
    private final Map<String, String> rows = new HashMap<>();
    private final Map<String, Long> active = new HashMap<>();
    private final Map<String, IdempotencyRecord> keys = new HashMap<>();
    private final List<Task> writes = new ArrayList<>();
    private int creates;
    private int finds;
    private int replaces;
    private int rejectedReplaces;
    private int deletes;
    private int failuresLeft;
    private int replaceFailuresLeft;
    private Predicate<Task> replaceFailureFilter = t -> true;

    public InMemoryTaskStore() {
        this(Clock.systemUTC());
    }

    /** A store whose idempotency keys expire by {@code clock}, as the table's by its own time. */
    public InMemoryTaskStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void create(Task task, Admission admission) {
        creates++;
        maybeFail();
        if (rows.containsKey(task.id())) {
            throw new IllegalStateException("task exists: " + task.id());
        }
        long count = active.getOrDefault(task.owner(), 0L);
        if (admission.limited() && count >= admission.maxActive()) {
            throw new ActiveTaskLimitException(admission.maxActive(), count);
        }
        IdempotencyRecord key = admission.idempotency();
        if (key != null) {
            IdempotencyRecord existing = keys.get(key.owner() + "\u0000" + key.key());
            if (existing != null && existing.expiresAt().isAfter(clock.instant())) {
                throw new IdempotencyKeyTakenException();
            }
            keys.put(key.owner() + "\u0000" + key.key(), key);
        }
        this.active.merge(task.owner(), 1L, Long::sum);
        put(task);
        RuntimeException afterwards = failureAfterCreate;
        failureAfterCreate = null;
        if (afterwards != null) {
            throw afterwards;
        }
    }

    @Override
    public synchronized void undoCreate(Task task, Admission admission) {
        deletes++;
        maybeFail();
        if (undoFailure != null) {
            RuntimeException failure = undoFailure;
            undoFailure = null;
            throw failure;
        }
        if (rows.remove(task.id()) != null) {
            active.merge(task.owner(), -1L, Long::sum);
        }
        if (admission.idempotency() != null) {
            keys.remove(task.owner() + "\u0000" + admission.idempotency().key());
        }
    }

    @Override
    public synchronized TaskPage list(String owner, TaskQuery query) {
        finds++;
        maybeFail();
        List<Task> matching = new ArrayList<>();
        for (String id : new java.util.TreeSet<>(rows.keySet()).descendingSet()) {
            Task t = read(id);
            if (!t.owner().equals(owner)
                    || (query.startAfterId() != null && id.compareTo(query.startAfterId()) >= 0)
                    || (query.status() != null && t.status() != query.status())
                    || (query.type() != null && !t.type().equals(query.type()))
                    || (query.createdAfter() != null && !t.createdAt().isAfter(query.createdAfter()))
                    || (query.createdBefore() != null && !t.createdAt().isBefore(query.createdBefore()))) {
                continue;
            }
            matching.add(t);
        }
        if (matching.size() > query.pageSize()) {
            List<Task> page = matching.subList(0, query.pageSize());
            return new TaskPage(page, page.get(page.size() - 1).id());
        }
        return new TaskPage(matching, null);
    }

    @Override
    public synchronized List<Task> dueForSweep(java.time.Instant now, int limit) {
        finds++;
        maybeFail();
        List<Task> due = new ArrayList<>();
        for (String id : rows.keySet()) {
            Task t = read(id);
            if (t.sweepAt() != null && !t.sweepAt().isAfter(now)) {
                due.add(t);
            }
        }
        due.sort(java.util.Comparator.comparing(Task::sweepAt));
        return due.size() > limit ? due.subList(0, limit) : due;
    }

    @Override
    public synchronized Optional<IdempotencyRecord> findIdempotencyKey(String owner, String key) {
        finds++;
        maybeFail();
        IdempotencyRecord record = keys.get(owner + "\u0000" + key);
        return Optional.ofNullable(record).filter(r -> r.expiresAt().isAfter(clock.instant()));
    }

    /** The owner's count of active tasks as the store keeps it. */
    public synchronized long active(String owner) {
        return active.getOrDefault(owner, 0L);
    }

    @Override
    public synchronized Optional<Task> find(String id) {
        finds++;
        maybeFail();
        return Optional.ofNullable(read(id));
    }

    @Override
    public synchronized boolean replace(Task next) {
        replaces++;
        maybeFail();
        if (replaceFailuresLeft > 0 && replaceFailureFilter.test(next)) {
            replaceFailuresLeft--;
            throw new IllegalStateException("injected store failure on replace");
        }
        Task stored = read(next.id());
        if (stored == null || stored.revision() != next.revision() - 1 || !stored.status().isActive()) {
            rejectedReplaces++;
            return false;
        }
        if (next.isTerminal()) {
            active.merge(next.owner(), -1L, Long::sum);
        }
        put(next);
        return true;
    }

    @Override
    public synchronized boolean delete(Task current) {
        deletes++;
        maybeFail();
        Task stored = read(current.id());
        if (stored == null || stored.revision() != current.revision()) {
            return false;
        }
        rows.remove(current.id());
        if (stored.status().isActive()) {
            active.merge(stored.owner(), -1L, Long::sum);
        }
        return true;
    }

    /** The next create is stored, then throws {@code failure}: a write that landed but timed out. */
    public synchronized void failAfterNextCreate(RuntimeException failure) {
        failureAfterCreate = failure;
    }

    /** The next undo of a create throws {@code failure}, leaving the task stored. */
    public synchronized void failNextUndo(RuntimeException failure) {
        undoFailure = failure;
    }

    /** The next {@code n} calls, of any method, throw. */
    public synchronized void failNext(int n) {
        failuresLeft = n;
    }

    /** The next {@code n} replaces whose new state matches {@code which} throw. */
    public synchronized void failNextReplaces(int n, Predicate<Task> which) {
        replaceFailuresLeft = n;
        replaceFailureFilter = which;
    }

    /** Stores a task as is, for setting up a test; not counted. */
    public synchronized void put(Task task) {
        rows.put(task.id(), Json.write(TaskCodec.toJson(task)));
        writes.add(task);
    }

    /** The stored task, read without counting or failing. */
    public synchronized Task get(String id) {
        return read(id);
    }

    public synchronized int size() {
        return rows.size();
    }

    /** Every state written, by create, replace or put, in order. */
    public synchronized List<Task> writes() {
        return List.copyOf(writes);
    }

    public synchronized int creates() {
        return creates;
    }

    public synchronized int finds() {
        return finds;
    }

    public synchronized int replaces() {
        return replaces;
    }

    public synchronized int rejectedReplaces() {
        return rejectedReplaces;
    }

    public synchronized int deletes() {
        return deletes;
    }

    /** Calls through the port, of any method. */
    public synchronized int calls() {
        return creates + finds + replaces + deletes;
    }

    private Task read(String id) {
        String row = rows.get(id);
        return row == null ? null : TaskCodec.fromJson(Json.parseObject(row));
    }

    private void maybeFail() {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IllegalStateException("injected store failure");
        }
    }
}
