package dev.longhaul.core.testing;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
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
    private final Map<String, String> rows = new HashMap<>();
    private final List<Task> writes = new ArrayList<>();
    private int creates;
    private int finds;
    private int replaces;
    private int rejectedReplaces;
    private int deletes;
    private int failuresLeft;
    private int replaceFailuresLeft;
    private Predicate<Task> replaceFailureFilter = t -> true;

    @Override
    public synchronized void create(Task task) {
        creates++;
        maybeFail();
        if (rows.containsKey(task.id())) {
            throw new IllegalStateException("task exists: " + task.id());
        }
        put(task);
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
        put(next);
        return true;
    }

    @Override
    public synchronized void delete(String id) {
        deletes++;
        maybeFail();
        rows.remove(id);
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
