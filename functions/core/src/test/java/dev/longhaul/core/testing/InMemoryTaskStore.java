package dev.longhaul.core.testing;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.port.ActiveTaskLimitException;
import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.ChildTask;
import dev.longhaul.core.port.IdempotencyKeyTakenException;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.port.Lane;
import dev.longhaul.core.port.LaneEntry;
import dev.longhaul.core.port.RelativeChangedException;
import dev.longhaul.core.port.TaskPage;
import dev.longhaul.core.port.TaskQuery;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Relatives;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.usecase.CreateTask;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A {@link TaskStore} with the port's conditional semantics, the reference the DynamoDB adapter
 * is held to. Tasks go through their serialized form on every write, so what {@link #find} returns
 * is what a real table would give back (tasks are immutable, so the copy read back is shared). Counts every call and can be told to fail the next calls, to stand
 * in for an unavailable table. Every change of a task is also recorded, as the table's stream
 * records it, for a test to hand to {@code CoordinateTasks} ({@link #drainChanges}).
 */
public final class InMemoryTaskStore implements TaskStore {
    private RuntimeException failureAfterCreate;
    private RuntimeException undoFailure;
    private final Clock clock;
    private final Map<String, Task> rows = new HashMap<>();
    private final Map<String, Long> active = new HashMap<>();
    private final Map<String, IdempotencyRecord> keys = new HashMap<>();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<String, Set<String>> grants = new HashMap<>();
    private final Map<String, Instant> snoozed = new HashMap<>();
    private final List<Task> writes = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();
    private int creates;
    private int finds;
    private int replaces;
    private int rejectedReplaces;
    private int deletes;
    private int failuresLeft;
    private int replaceFailuresLeft;
    private Predicate<Task> replaceFailureFilter = t -> true;

    /** One change of a task's record: {@code before} null for a new one, {@code after} null for a removed one. */
    public record Change(Task before, Task after) {
    }

    public InMemoryTaskStore() {
        this(Clock.systemUTC());
    }

    /** A store whose idempotency keys expire by {@code clock}, as the table's by its own time. */
    public InMemoryTaskStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Task create(Task task, Admission admission) {
        creates++;
        maybeFail();
        if (rows.containsKey(task.id())) {
            throw new IllegalStateException("task exists: " + task.id());
        }
        String parentId = task.options().parent();
        if (parentId != null) {
            Task parent = read(parentId);
            if (parent == null || parent.isTerminal() || parent.cancelRequested()
                    || parent.relatives().children() >= CreateTask.MAX_CHILDREN) {
                throw new RelativeChangedException(parentId);
            }
        }
        if (task.status() == TaskStatus.BLOCKED) {
            for (String dependency : task.flow().pending()) {
                Task d = read(dependency);
                if (d == null || d.isTerminal()) {
                    throw new RelativeChangedException(dependency);
                }
            }
        }
        boolean slot = task.holdsSlot();
        long count = active.getOrDefault(task.owner(), 0L);
        if (slot && admission.limited() && count >= admission.maxActive()) {
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
        Task stored = slot ? enterLane(task) : task;
        if (slot) {
            active.merge(task.owner(), 1L, Long::sum);
        }
        if (parentId != null) {
            Task parent = read(parentId);
            Relatives r = parent.relatives();
            rewrite(parent, new Relatives(r.dependents(), r.children() + 1,
                    r.openChildren() + (task.isTerminal() ? 0 : 1)));
        }
        if (task.status() == TaskStatus.BLOCKED) {
            for (String dependency : task.flow().pending()) {
                Task d = read(dependency);
                List<String> dependents = new ArrayList<>(d.relatives().dependents());
                dependents.add(task.id());
                rewrite(d, new Relatives(dependents, d.relatives().children(), d.relatives().openChildren()));
            }
        }
        for (String subject : task.options().access()) {
            grants.computeIfAbsent(subject, s -> new TreeSet<>()).add(task.id());
        }
        record(null, stored);
        RuntimeException afterwards = failureAfterCreate;
        failureAfterCreate = null;
        if (afterwards != null) {
            throw afterwards;
        }
        return stored;
    }

    /** A task taking its slot in a named queue: the lane if free, else a place behind its holder. */
    private Task enterLane(Task task) {
        String queue = task.options().queue();
        if (queue == null || task.status() != TaskStatus.QUEUED) {
            return task;
        }
        String laneKey = laneKey(task.owner(), queue);
        Lane lane = lanes.getOrDefault(laneKey, Lane.FREE);
        if (lane.holder() == null) {
            lanes.put(laneKey, new Lane(task.id(), lane.waiting()));
            return task;
        }
        lanes.put(laneKey, new Lane(lane.holder(), lane.waiting() + 1));
        return task.heldInLane();
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
        Task stored = read(task.id());
        if (stored != null) {
            rows.remove(task.id());
            release(stored);
            Task parent = stored.options().parent() == null ? null : read(stored.options().parent());
            if (parent != null) {
                Relatives r = parent.relatives();
                rewrite(parent, new Relatives(r.dependents(), r.children() - 1, r.openChildren()));
            }
            record(stored, null);
        }
        if (admission.idempotency() != null) {
            keys.remove(task.owner() + "\u0000" + admission.idempotency().key());
        }
    }

    /** What an unfinished task gives back when it finishes or goes: its slot, its place in line, its parent's open count. */
    private void release(Task stored) {
        if (stored.isTerminal()) {
            return;
        }
        if (stored.holdsSlot()) {
            active.merge(stored.owner(), -1L, Long::sum);
        }
        if (stored.isHeld()) {
            String laneKey = laneKey(stored.owner(), stored.options().queue());
            Lane lane = lanes.get(laneKey);
            lanes.put(laneKey, new Lane(lane.holder(), lane.waiting() - 1));
        }
        Task parent = stored.options().parent() == null ? null : read(stored.options().parent());
        if (parent != null) {
            Relatives r = parent.relatives();
            rewrite(parent, new Relatives(r.dependents(), r.children(), r.openChildren() - 1));
        }
    }

    @Override
    public synchronized TaskPage list(String owner, TaskQuery query) {
        finds++;
        maybeFail();
        List<Task> matching = new ArrayList<>();
        Set<String> shared = grants.getOrDefault(owner, Set.of());
        for (String id : new TreeSet<>(rows.keySet()).descendingSet()) {
            Task t = read(id);
            boolean inScope;
            if (query.sharedWithMe()) {
                inScope = shared.contains(id);
            } else {
                inScope = t.owner().equals(owner)
                        && (query.queue() == null || query.queue().equals(t.options().queue()))
                        && (query.parent() == null || query.parent().equals(t.options().parent()))
                        && (query.schedule() == null || query.schedule().equals(t.options().schedule()));
            }
            if (!inScope || (query.startAfterId() != null && id.compareTo(query.startAfterId()) >= 0)
                    || !query.matches(t)) {
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
    public synchronized List<Task> dueForSweep(Instant now, int limit) {
        finds++;
        maybeFail();
        List<Task> due = new ArrayList<>();
        for (String id : rows.keySet()) {
            Task t = read(id);
            Instant at = snoozed.getOrDefault(id, t.sweepAt());
            if (at != null && !at.isAfter(now)) {
                due.add(t);
            }
        }
        due.sort(java.util.Comparator.comparing(Task::sweepAt));
        return due.size() > limit ? due.subList(0, limit) : due;
    }

    @Override
    public synchronized void snooze(Task task, Instant until) {
        Task stored = read(task.id());
        if (stored != null && stored.revision() == task.revision()) {
            snoozed.put(task.id(), until);
        }
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
    public synchronized Map<String, Task> findAll(Collection<String> ids) {
        finds++;
        maybeFail();
        Map<String, Task> found = new LinkedHashMap<>();
        for (String id : ids) {
            Task t = read(id);
            if (t != null) {
                found.put(id, t);
            }
        }
        return found;
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
        if (stored == null || stored.revision() != next.revision() - 1 || stored.isTerminal()) {
            rejectedReplaces++;
            return false;
        }
        if (next.isTerminal()) {
            release(stored);
        }
        record(stored, keepRelatives(next));
        return true;
    }

    @Override
    public synchronized Optional<Task> admit(Task next) {
        replaces++;
        maybeFail();
        Task stored = read(next.id());
        if (stored == null || stored.revision() != next.revision() - 1 || stored.isTerminal()) {
            rejectedReplaces++;
            return Optional.empty();
        }
        active.merge(next.owner(), 1L, Long::sum);
        Task written = keepRelatives(enterLane(next));
        record(stored, written);
        return Optional.of(written);
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
        release(stored);
        Task parent = stored.options().parent() == null ? null : read(stored.options().parent());
        if (parent != null) {
            Relatives r = parent.relatives();
            rewrite(parent, new Relatives(r.dependents(), r.children() - 1, r.openChildren()));
        }
        record(stored, null);
        return true;
    }

    @Override
    public synchronized Lane lane(String owner, String queue) {
        finds++;
        maybeFail();
        return lanes.getOrDefault(laneKey(owner, queue), Lane.FREE);
    }

    @Override
    public synchronized List<LaneEntry> queuedInLane(String owner, String queue) {
        finds++;
        maybeFail();
        List<LaneEntry> entries = new ArrayList<>();
        for (String id : new TreeSet<>(rows.keySet())) {
            Task t = read(id);
            if (t.owner().equals(owner) && queue.equals(t.options().queue()) && t.status() == TaskStatus.QUEUED) {
                entries.add(new LaneEntry(id, t.isHeld()));
            }
        }
        return entries;
    }

    @Override
    public synchronized boolean passTurn(String owner, String queue, String holder, Task next) {
        replaces++;
        maybeFail();
        String laneKey = laneKey(owner, queue);
        Lane lane = lanes.getOrDefault(laneKey, Lane.FREE);
        Task stored = read(next.id());
        if (!holder.equals(lane.holder()) || stored == null || stored.revision() != next.revision() - 1
                || !stored.isHeld()) {
            return false;
        }
        lanes.put(laneKey, new Lane(next.id(), lane.waiting() - 1));
        record(stored, keepRelatives(next));
        return true;
    }

    @Override
    public synchronized boolean freeLane(String owner, String queue, String holder) {
        replaces++;
        maybeFail();
        String laneKey = laneKey(owner, queue);
        Lane lane = lanes.getOrDefault(laneKey, Lane.FREE);
        if (!holder.equals(lane.holder()) || lane.waiting() > 0) {
            return false;
        }
        lanes.remove(laneKey);
        return true;
    }

    @Override
    public synchronized List<ChildTask> children(String owner, String parentId) {
        finds++;
        maybeFail();
        List<ChildTask> children = new ArrayList<>();
        for (String id : new TreeSet<>(rows.keySet())) {
            Task t = read(id);
            if (t.owner().equals(owner) && parentId.equals(t.options().parent())) {
                children.add(new ChildTask(id, t.type(), t.status(), t.progress(), t.options().spawnIndex()));
            }
        }
        return children;
    }

    @Override
    public synchronized boolean awaitChildren(Task next) {
        replaces++;
        maybeFail();
        Task stored = read(next.id());
        if (stored == null || stored.revision() != next.revision() - 1 || stored.isTerminal()
                || stored.relatives().openChildren() <= 0) {
            rejectedReplaces++;
            return false;
        }
        record(stored, keepRelatives(next));
        return true;
    }

    @Override
    public synchronized boolean changeAccess(Task current, Task next) {
        replaces++;
        maybeFail();
        Task stored = read(current.id());
        if (stored == null || stored.revision() != current.revision()) {
            return false;
        }
        for (String subject : stored.options().access()) {
            grants.getOrDefault(subject, new TreeSet<>()).remove(current.id());
        }
        for (String subject : next.options().access()) {
            grants.computeIfAbsent(subject, s -> new TreeSet<>()).add(current.id());
        }
        record(stored, keepRelatives(next));
        return true;
    }

    @Override
    public synchronized void removeLinks(Task removed) {
        for (String subject : removed.options().access()) {
            grants.getOrDefault(subject, new TreeSet<>()).remove(removed.id());
        }
    }

    /** The ids shared with {@code subject}, as the store keeps its grants. */
    public synchronized Set<String> grantsOf(String subject) {
        return Set.copyOf(grants.getOrDefault(subject, Set.of()));
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

    /** Stores a task as is, for setting up a test; not counted, not recorded as a change. */
    public synchronized void put(Task task) {
        rows.put(task.id(), roundTrip(task));
        writes.add(task);
    }

    private static Task roundTrip(Task task) {
        return TaskCodec.fromJson(Json.parseObject(Json.write(TaskCodec.toJson(task))));
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

    /** The changes recorded since the last call, oldest first, as a stream would deliver them. */
    public synchronized List<Change> drainChanges() {
        List<Change> drained = List.copyOf(changes);
        changes.clear();
        return drained;
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

    private void record(Task before, Task after) {
        if (after != null) {
            put(after);
            snoozed.remove(after.id());
        }
        changes.add(new Change(before, after));
    }

    /** {@code next} with the relatives the store keeps, which a task's own write never changes. */
    private Task keepRelatives(Task next) {
        Task stored = read(next.id());
        return withRelatives(next, stored == null ? Relatives.NONE : stored.relatives());
    }

    /** Changes the relatives the store keeps on a task, without changing the task (no revision, no change recorded). */
    private void rewrite(Task task, Relatives relatives) {
        rows.put(task.id(), roundTrip(withRelatives(task, relatives)));
    }

    private static Task withRelatives(Task t, Relatives relatives) {
        return new Task(t.id(), t.owner(), t.type(), t.status(), t.progress(), t.description(), t.parameters(),
                t.createdAt(), t.updatedAt(), t.startedAt(), t.finishedAt(), t.expiresAt(), t.eta(), t.attempts(),
                t.executions(), t.error(), t.result(), t.revision(), t.cancelRequested(), t.runToken(), t.leaseUntil(),
                t.notifications(), t.options(), t.flow(), relatives);
    }

    private static String laneKey(String owner, String queue) {
        return owner + "\u0000" + queue;
    }

    private Task read(String id) {
        return rows.get(id);
    }

    private void maybeFail() {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IllegalStateException("injected store failure");
        }
    }
}
