package dev.longhaul.aws.dynamodb;

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
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.usecase.CreateTask;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Tasks in one DynamoDB table keyed by {@code id}, next to bookkeeping items none of which has an
 * {@code owner} attribute (so the {@code ByOwner} index holds tasks only):
 * <ul>
 * <li>{@code owner#<owner key>}: an owner's count of active tasks (owners are in keys, and in the
 * {@code ByOwner} index, as {@link OwnerKeys} makes them);</li>
 * <li>{@code idem#<hash>}: an idempotency key;</li>
 * <li>{@code lane#<owner>#<queue>}: a named queue's lane, the task holding it ({@code holder}) and
 * how many are held behind it ({@code waiting});</li>
 * <li>{@code sh#<taskId>#<hash>}, {@code sm#<taskId>}: a task's grant to a subject and its place
 * in its schedule's list, in the {@code ByGroup} index under the subject or the schedule.</li>
 * </ul>
 *
 * <p>Every write of an existing task is guarded by the revision it was derived from and by the
 * stored status still being unfinished, so a stale or late writer changes nothing and a terminal
 * state is final. A task is written with an update of the attributes it owns, so what other tasks
 * keep on its item (dependents, children counts, notifications) survives its writes. Writes that
 * change another item (the owner's count, a lane, a parent's counts, a dependency's dependents,
 * grants) are transactions with it.
 */
public final class DynamoDbTaskStore implements TaskStore {
    public static final String OWNER_INDEX = "ByOwner";
    public static final String SWEEP_INDEX = "BySweepAt";
    public static final String GROUP_INDEX = "ByGroup";
    static final String ACTIVE = "active";
    static final String COUNTER_PREFIX = "owner#";
    static final String KEY_PREFIX = "idem#";
    static final String LANE_PREFIX = "lane#";
    static final String GRANT_PREFIX = "sh#";
    static final String SCHEDULE_LINK_PREFIX = "sm#";
    static final String LINK_OF = "linkOf";
    static final String HOLDER = "holder";
    static final String WAITING = "waiting";
    private static final int TRANSACTION_ATTEMPTS = 5;
    private static final int WRITE_ATTEMPTS = 5;
    private static final int MAX_QUERY_PAGES = 10;
    private static final int BATCH_GET_LIMIT = 100;
    private static final java.time.Duration ID_CLOCK_SKEW = java.time.Duration.ofSeconds(1);
    private static final String UNFINISHED = "#status IN (:blocked, :scheduled, :queued, :running)";
    private static final Map<String, AttributeValue> UNFINISHED_VALUES = Map.of(
            ":blocked", AttributeValue.fromS(TaskStatus.BLOCKED.wire()),
            ":scheduled", AttributeValue.fromS(TaskStatus.SCHEDULED.wire()),
            ":queued", AttributeValue.fromS(TaskStatus.QUEUED.wire()),
            ":running", AttributeValue.fromS(TaskStatus.RUNNING.wire()));
    private static final AttributeValue ONE = AttributeValue.fromN("1");
    private static final AttributeValue ZERO = AttributeValue.fromN("0");
    private static final AttributeValue MINUS_ONE = AttributeValue.fromN("-1");

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbTaskStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    // ---- creating ----

    /**
     * One transaction: the task (new id), the owner's count (under the limit, when it is queued),
     * the key (new or expired), its turn or place in its lane, its parent's counts, its
     * dependencies' dependents and its grants. A lane found busy (or freed) meanwhile is tried the
     * other way.
     *
     * @throws TaskAlreadyExistsException when a task with this id is already stored
     */
    @Override
    public Task create(Task task, Admission admission) {
        boolean inLane = task.holdsSlot() && task.options().queue() != null;
        boolean takeLane = true;
        for (int attempt = 0; ; attempt++) {
            Task stored = inLane && !takeLane ? task.heldInLane() : task;
            Writes writes = new Writes();
            int taskIndex = writes.add(TransactWriteItem.builder().put(put -> put
                    .tableName(tableName)
                    .item(TaskItemMapper.toItem(stored))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID))).build());
            int counterIndex = task.holdsSlot() ? writes.add(takeSlot(task.owner(), admission)) : -1;
            IdempotencyRecord idempotency = admission.idempotency();
            int keyIndex = idempotency == null ? -1 : writes.add(TransactWriteItem.builder().put(put -> put
                    .tableName(tableName)
                    .item(keyItem(idempotency))
                    .conditionExpression("attribute_not_exists(#id) OR #ttl < :now")
                    .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID, "#ttl", TaskItemMapper.TTL))
                    .expressionAttributeValues(Map.of(":now",
                            AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond()))))).build());
            int laneIndex = inLane ? writes.add(enterLane(stored)) : -1;
            Map<Integer, String> relatives = new HashMap<>();
            if (task.options().parent() != null) {
                relatives.put(writes.add(joinParent(task)), task.options().parent());
            }
            if (task.status() == TaskStatus.BLOCKED) {
                for (String dependency : task.flow().pending()) {
                    relatives.put(writes.add(registerDependent(dependency, task.id())), dependency);
                }
            }
            for (String subject : task.options().access()) {
                writes.add(TransactWriteItem.builder().put(put -> put.tableName(tableName)
                        .item(grantItem(task.id(), subject))).build());
            }
            if (task.options().schedule() != null) {
                writes.add(TransactWriteItem.builder().put(put -> put.tableName(tableName)
                        .item(link(SCHEDULE_LINK_PREFIX + task.id(), TaskItemMapper.scheduleGroup(task.options().schedule()),
                                task.id()))).build());
            }
            try {
                transact(writes.items);
                return stored;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (failedCondition(reasons, counterIndex)) {
                    AttributeValue current = reasons.get(counterIndex).item() == null ? null
                            : reasons.get(counterIndex).item().get(ACTIVE);
                    throw new ActiveTaskLimitException(admission.maxActive(),
                            current == null ? admission.maxActive() : Long.parseLong(current.n()));
                }
                if (failedCondition(reasons, keyIndex)) {
                    throw new IdempotencyKeyTakenException();
                }
                for (Map.Entry<Integer, String> relative : relatives.entrySet()) {
                    if (failedCondition(reasons, relative.getKey())) {
                        throw new RelativeChangedException(relative.getValue());
                    }
                }
                if (failedCondition(reasons, taskIndex)) {
                    throw new TaskAlreadyExistsException(task.id(), e);
                }
                if (failedCondition(reasons, laneIndex) && attempt < TRANSACTION_ATTEMPTS) {
                    takeLane = !takeLane; // busy (or freed) meanwhile: the other way
                    continue;
                }
                throw e;
            }
        }
    }

    /** The owner's count up by one, under the limit when there is one. */
    private TransactWriteItem takeSlot(String owner, Admission admission) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", ONE);
        values.put(":zero", ZERO);
        if (admission.limited()) {
            values.put(":limit", AttributeValue.fromN(Integer.toString(admission.maxActive())));
        }
        return TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(key(counterId(owner)))
                .updateExpression("SET #active = if_not_exists(#active, :zero) + :one")
                .conditionExpression(admission.limited() ? "attribute_not_exists(#active) OR #active < :limit" : null)
                .expressionAttributeNames(Map.of("#active", ACTIVE))
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
    }

    /** Takes a free lane, or, for a held task, a place behind the task holding it. */
    private TransactWriteItem enterLane(Task task) {
        String id = laneId(task.owner(), task.options().queue());
        if (!task.isHeld()) {
            return TransactWriteItem.builder().update(update -> update
                    .tableName(tableName)
                    .key(key(id))
                    .updateExpression("SET #holder = :task")
                    .conditionExpression("attribute_not_exists(#holder)")
                    .expressionAttributeNames(Map.of("#holder", HOLDER))
                    .expressionAttributeValues(Map.of(":task", AttributeValue.fromS(task.id())))).build();
        }
        return TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(key(id))
                .updateExpression("ADD #waiting :one")
                .conditionExpression("attribute_exists(#holder)")
                .expressionAttributeNames(Map.of("#holder", HOLDER, "#waiting", WAITING))
                .expressionAttributeValues(Map.of(":one", ONE))).build();
    }

    /** The parent's counts, if it is the owner's, unfinished, not being cancelled and not full. */
    private TransactWriteItem joinParent(Task child) {
        Map<String, AttributeValue> values = new HashMap<>(UNFINISHED_VALUES);
        values.put(":one", ONE);
        values.put(":open", child.isTerminal() ? ZERO : ONE);
        values.put(":max", AttributeValue.fromN(Integer.toString(CreateTask.MAX_CHILDREN)));
        values.put(":owner", AttributeValue.fromS(TaskItemMapper.ownerKey(child.owner())));
        values.put(":false", AttributeValue.fromBool(false));
        return TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(key(child.options().parent()))
                .updateExpression("ADD #children :one, #open :open")
                .conditionExpression("#owner = :owner AND " + UNFINISHED + " AND #cancel = :false"
                        + " AND (attribute_not_exists(#children) OR #children < :max)")
                .expressionAttributeNames(Map.of("#children", TaskItemMapper.CHILDREN, "#open", TaskItemMapper.OPEN_CHILDREN,
                        "#owner", TaskItemMapper.OWNER, "#status", TaskItemMapper.STATUS, "#cancel", "cancelRequested"))
                .expressionAttributeValues(values)).build();
    }

    /** The dependency records the new task among its dependents, if it is still unfinished. */
    private TransactWriteItem registerDependent(String dependency, String dependent) {
        Map<String, AttributeValue> values = new HashMap<>(UNFINISHED_VALUES);
        values.put(":dependent", AttributeValue.fromSs(List.of(dependent)));
        return TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(key(dependency))
                .updateExpression("ADD #dependents :dependent")
                .conditionExpression(UNFINISHED)
                .expressionAttributeNames(Map.of("#dependents", TaskItemMapper.DEPENDENTS, "#status", TaskItemMapper.STATUS))
                .expressionAttributeValues(values)).build();
    }

    @Override
    public Optional<Task> find(String id) {
        if (!TaskIds.isWellFormed(id)) {
            return Optional.empty();
        }
        GetItemResponse response = dynamoDb.getItem(get -> get
                .tableName(tableName)
                .key(key(id))
                .consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(TaskItemMapper.fromItem(response.item()))
                : Optional.empty();
    }

    /** One strongly consistent batch read per 100 ids, unprocessed keys read again. */
    @Override
    public Map<String, Task> findAll(Collection<String> ids) {
        Map<String, Task> found = new LinkedHashMap<>();
        List<String> wanted = new ArrayList<>(new LinkedHashSet<>(ids));
        wanted.removeIf(id -> !TaskIds.isWellFormed(id));
        for (int from = 0; from < wanted.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String id : wanted.subList(from, Math.min(wanted.size(), from + BATCH_GET_LIMIT))) {
                keys.add(key(id));
            }
            for (Map<String, AttributeValue> item : batchGet(keys)) {
                Task task = TaskItemMapper.fromItem(item);
                found.put(task.id(), task);
            }
        }
        Map<String, Task> ordered = new LinkedHashMap<>();
        for (String id : wanted) {
            if (found.containsKey(id)) {
                ordered.put(id, found.get(id));
            }
        }
        return ordered;
    }

    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        return BatchReads.items(dynamoDb, tableName, keys);
    }

    // ---- writing a task ----

    @Override
    public boolean replace(Task next) {
        if (!next.isTerminal()) {
            return single(() -> dynamoDb.updateItem(toRequest(writeTask(next, UNFINISHED))));
        }
        // a terminal transition gives back what the task held, in the same transaction
        boolean withParent = next.options().parent() != null;
        for (int attempt = 0; ; attempt++) {
            Writes writes = new Writes();
            writes.add(TransactWriteItem.builder().update(writeTask(next, UNFINISHED)).build());
            releases(next, withParent, false, writes);
            try {
                transact(writes.items);
                return true;
            } catch (TransactionCanceledException e) {
                if (failedCondition(e.cancellationReasons(), 0)) {
                    return false;
                }
                if (withParent && failedCondition(e.cancellationReasons(), writes.parentIndex) && attempt < 2) {
                    withParent = false; // the parent is gone: nothing to count down
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * What an unfinished task gives back when it finishes or goes: its owner's slot (if it held
     * one), its place in its lane's line (if it was held), its parent's open count (and, when it
     * goes, the parent's count of children).
     */
    private void releases(Task task, boolean withParent, boolean removed, Writes writes) {
        if (task.flow().admitted()) {
            writes.add(TransactWriteItem.builder().update(update -> update
                    .tableName(tableName)
                    .key(key(counterId(task.owner())))
                    .updateExpression("ADD #active :minusOne")
                    .expressionAttributeNames(Map.of("#active", ACTIVE))
                    .expressionAttributeValues(Map.of(":minusOne", MINUS_ONE))).build());
        }
        if (task.flow().held() && task.options().queue() != null) {
            writes.add(TransactWriteItem.builder().update(update -> update
                    .tableName(tableName)
                    .key(key(laneId(task.owner(), task.options().queue())))
                    .updateExpression("ADD #waiting :minusOne")
                    .expressionAttributeNames(Map.of("#waiting", WAITING))
                    .expressionAttributeValues(Map.of(":minusOne", MINUS_ONE))).build());
        }
        if (withParent) {
            String expression = removed ? "ADD #open :minusOne, #children :minusOne" : "ADD #open :minusOne";
            Map<String, String> names = removed
                    ? Map.of("#open", TaskItemMapper.OPEN_CHILDREN, "#children", TaskItemMapper.CHILDREN, "#id", TaskItemMapper.ID)
                    : Map.of("#open", TaskItemMapper.OPEN_CHILDREN, "#id", TaskItemMapper.ID);
            writes.parentIndex = writes.add(TransactWriteItem.builder().update(update -> update
                    .tableName(tableName)
                    .key(key(task.options().parent()))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":minusOne", MINUS_ONE))).build());
        }
    }

    /**
     * The update writing a task's own attributes (every one it has set, every other one removed)
     * if the stored one is at the previous revision and meets {@code condition} (null for none).
     */
    private Update writeTask(Task next, String condition) {
        return writeTask(next, condition, null, Map.of(), Map.of());
    }

    /** As {@link #writeTask(Task, String)}, with one more condition and the names and values it uses. */
    private Update writeTask(Task next, String condition, String extraCondition, Map<String, String> extraNames,
                             Map<String, AttributeValue> extraValues) {
        Map<String, AttributeValue> item = TaskItemMapper.toItem(next);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>(UNFINISHED_VALUES);
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        int n = 0;
        for (String attribute : TaskItemMapper.OWNED_ATTRIBUTES) {
            String name = "#a" + n;
            names.put(name, attribute);
            AttributeValue value = item.get(attribute);
            if (value != null) {
                values.put(":v" + n, value);
                sets.add(name + " = :v" + n);
            } else {
                removes.add(name);
            }
            n++;
        }
        names.put("#revision", TaskItemMapper.REVISION);
        names.put("#status", TaskItemMapper.STATUS);
        values.put(":expected", AttributeValue.fromN(Long.toString(next.revision() - 1)));
        String expression = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        String fullCondition = "#revision = :expected" + (condition == null ? "" : " AND " + condition)
                + (extraCondition == null ? "" : " AND " + extraCondition);
        if (condition == null) {
            UNFINISHED_VALUES.keySet().forEach(values::remove);
            names.remove("#status");
        }
        names.putAll(extraNames);
        values.putAll(extraValues);
        return Update.builder()
                .tableName(tableName)
                .key(key(next.id()))
                .updateExpression(expression)
                .conditionExpression(fullCondition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private static software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest toRequest(Update update) {
        return software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest.builder()
                .tableName(update.tableName())
                .key(update.key())
                .updateExpression(update.updateExpression())
                .conditionExpression(update.conditionExpression())
                .expressionAttributeNames(update.expressionAttributeNames())
                .expressionAttributeValues(update.expressionAttributeValues())
                .build();
    }

    /** One conditional write; false when its condition failed. Retried when it met a transaction on the item. */
    private boolean single(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            } catch (TransactionConflictException e) {
                if (attempt >= WRITE_ATTEMPTS) {
                    throw e;
                }
                pause(attempt, e);
            }
        }
    }

    @Override
    public Optional<Task> admit(Task next) {
        boolean inLane = next.options().queue() != null;
        boolean takeLane = true;
        for (int attempt = 0; ; attempt++) {
            Task stored = inLane && !takeLane ? next.heldInLane() : next;
            Writes writes = new Writes();
            writes.add(TransactWriteItem.builder().update(writeTask(stored, UNFINISHED)).build());
            writes.add(takeSlot(next.owner(), Admission.UNLIMITED));
            int laneIndex = inLane ? writes.add(enterLane(stored)) : -1;
            try {
                transact(writes.items);
                return Optional.of(stored);
            } catch (TransactionCanceledException e) {
                if (failedCondition(e.cancellationReasons(), 0)) {
                    return Optional.empty();
                }
                if (failedCondition(e.cancellationReasons(), laneIndex) && attempt < TRANSACTION_ATTEMPTS) {
                    takeLane = !takeLane;
                    continue;
                }
                throw e;
            }
        }
    }

    @Override
    public boolean delete(Task current) {
        boolean withParent = current.options().parent() != null;
        for (int attempt = 0; ; attempt++) {
            Writes writes = new Writes();
            writes.add(TransactWriteItem.builder().delete(delete -> delete
                    .tableName(tableName)
                    .key(key(current.id()))
                    .conditionExpression("#revision = :expected")
                    .expressionAttributeNames(Map.of("#revision", TaskItemMapper.REVISION))
                    .expressionAttributeValues(Map.of(":expected",
                            AttributeValue.fromN(Long.toString(current.revision()))))).build());
            if (!current.isTerminal()) {
                releases(current, withParent, true, writes);
            } else if (withParent) {
                writes.parentIndex = writes.add(countDownChildren(current.options().parent()));
            }
            try {
                transact(writes.items);
                return true;
            } catch (TransactionCanceledException e) {
                if (failedCondition(e.cancellationReasons(), 0)) {
                    return false;
                }
                if (withParent && failedCondition(e.cancellationReasons(), writes.parentIndex) && attempt < 2) {
                    withParent = false;
                    continue;
                }
                throw e;
            }
        }
    }

    private TransactWriteItem countDownChildren(String parentId) {
        return TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(key(parentId))
                .updateExpression("ADD #children :minusOne")
                .conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#children", TaskItemMapper.CHILDREN, "#id", TaskItemMapper.ID))
                .expressionAttributeValues(Map.of(":minusOne", MINUS_ONE))).build();
    }

    @Override
    public void undoCreate(Task task, Admission admission) {
        boolean withParent = task.options().parent() != null;
        for (int attempt = 0; ; attempt++) {
            Writes writes = new Writes();
            // only what the create stored: a create that never landed (or whose task moved on)
            // releases nothing
            writes.add(TransactWriteItem.builder().delete(delete -> delete
                    .tableName(tableName).key(key(task.id()))
                    .conditionExpression("attribute_exists(#id) AND #revision = :created")
                    .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID, "#revision", TaskItemMapper.REVISION))
                    .expressionAttributeValues(Map.of(":created", AttributeValue.fromN(Long.toString(task.revision())))))
                    .build());
            if (!task.isTerminal()) {
                releases(task, withParent, true, writes);
            } else if (withParent) {
                writes.parentIndex = writes.add(countDownChildren(task.options().parent()));
            }
            if (admission.idempotency() != null) {
                writes.add(TransactWriteItem.builder().delete(delete -> delete
                        .tableName(tableName)
                        .key(key(keyId(admission.idempotency().owner(), admission.idempotency().key())))).build());
            }
            for (Map<String, AttributeValue> link : links(task)) {
                writes.add(TransactWriteItem.builder().delete(delete -> delete.tableName(tableName).key(link)).build());
            }
            try {
                transact(writes.items);
                return;
            } catch (TransactionCanceledException e) {
                if (failedCondition(e.cancellationReasons(), 0)) {
                    return; // nothing of this create is stored: nothing to undo
                }
                if (withParent && failedCondition(e.cancellationReasons(), writes.parentIndex) && attempt < 2) {
                    withParent = false;
                    continue;
                }
                throw e;
            }
        }
    }

    @Override
    public void snooze(Task task, Instant until) {
        single(() -> dynamoDb.updateItem(update -> update
                .tableName(tableName)
                .key(key(task.id()))
                .updateExpression("SET #at = :until")
                .conditionExpression("#revision = :revision")
                .expressionAttributeNames(Map.of("#at", TaskItemMapper.SWEEP_AT, "#revision", TaskItemMapper.REVISION))
                .expressionAttributeValues(Map.of(":until", AttributeValue.fromS(until.toString()),
                        ":revision", AttributeValue.fromN(Long.toString(task.revision()))))));
    }

    // ---- named queues ----

    @Override
    public Lane lane(String owner, String queue) {
        GetItemResponse response = dynamoDb.getItem(get -> get
                .tableName(tableName).key(key(laneId(owner, queue))).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Lane.FREE;
        }
        AttributeValue holder = response.item().get(HOLDER);
        AttributeValue waiting = response.item().get(WAITING);
        return new Lane(holder == null ? null : holder.s(), waiting == null ? 0 : Long.parseLong(waiting.n()));
    }

    @Override
    public List<LaneEntry> queuedInLane(String owner, String queue) {
        List<LaneEntry> entries = new ArrayList<>();
        for (Map<String, AttributeValue> item : groupItems(TaskItemMapper.laneGroup(owner, queue), true,
                "#status = :queued", Map.of("#status", TaskItemMapper.STATUS),
                Map.of(":queued", AttributeValue.fromS(TaskStatus.QUEUED.wire())))) {
            AttributeValue held = item.get(TaskItemMapper.HELD);
            entries.add(new LaneEntry(item.get(TaskItemMapper.ID).s(), held != null && Boolean.TRUE.equals(held.bool())));
        }
        return entries;
    }

    @Override
    public boolean passTurn(String owner, String queue, String holder, Task next) {
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().update(update -> update
                        .tableName(tableName)
                        .key(key(laneId(owner, queue)))
                        .updateExpression("SET #holder = :next ADD #waiting :minusOne")
                        .conditionExpression("#holder = :holder")
                        .expressionAttributeNames(Map.of("#holder", HOLDER, "#waiting", WAITING))
                        .expressionAttributeValues(Map.of(":next", AttributeValue.fromS(next.id()),
                                ":holder", AttributeValue.fromS(holder), ":minusOne", MINUS_ONE))).build(),
                TransactWriteItem.builder().update(writeTask(next, UNFINISHED, "#held = :true",
                        Map.of("#held", TaskItemMapper.HELD), Map.of(":true", AttributeValue.fromBool(true)))).build());
        try {
            transact(writes);
            return true;
        } catch (TransactionCanceledException e) {
            if (failedCondition(e.cancellationReasons(), 0) || failedCondition(e.cancellationReasons(), 1)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean freeLane(String owner, String queue, String holder) {
        return single(() -> dynamoDb.deleteItem(delete -> delete
                .tableName(tableName)
                .key(key(laneId(owner, queue)))
                .conditionExpression("#holder = :holder AND (attribute_not_exists(#waiting) OR #waiting <= :zero)")
                .expressionAttributeNames(Map.of("#holder", HOLDER, "#waiting", WAITING))
                .expressionAttributeValues(Map.of(":holder", AttributeValue.fromS(holder), ":zero", ZERO))));
    }

    // ---- children ----

    @Override
    public List<ChildTask> children(String owner, String parentId) {
        List<ChildTask> children = new ArrayList<>();
        for (Map<String, AttributeValue> item : groupItems(TaskItemMapper.childrenGroup(parentId), true, null,
                Map.of(), Map.of())) {
            String id = item.get(TaskItemMapper.ID).s();
            AttributeValue status = item.get(TaskItemMapper.STATUS);
            TaskStatus parsed = status == null ? null : TaskStatus.fromWire(status.s());
            if (parsed == null || id.equals(parentId)) {
                continue;
            }
            AttributeValue progress = item.get("progress");
            AttributeValue index = item.get(TaskItemMapper.SPAWN_INDEX);
            AttributeValue type = item.get("type");
            children.add(new ChildTask(id, type == null ? null : type.s(), parsed,
                    progress == null ? null : Integer.valueOf(progress.n()),
                    index == null ? null : Integer.valueOf(index.n())));
        }
        return children;
    }

    @Override
    public boolean awaitChildren(Task next) {
        Update write = writeTask(next, UNFINISHED, "#open > :zero", Map.of("#open", TaskItemMapper.OPEN_CHILDREN),
                Map.of(":zero", ZERO));
        return single(() -> dynamoDb.updateItem(toRequest(write)));
    }

    // ---- grants and schedule links ----

    @Override
    public boolean changeAccess(Task current, Task next) {
        if (next.revision() != current.revision() + 1) {
            return false; // not derived from current: the stored task cannot be at both revisions
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(writeTask(next, null)).build());
        for (String subject : current.options().access()) {
            if (!next.options().access().contains(subject)) {
                writes.add(TransactWriteItem.builder().delete(delete -> delete.tableName(tableName)
                        .key(key(grantId(current.id(), subject)))).build());
            }
        }
        for (String subject : next.options().access()) {
            if (!current.options().access().contains(subject)) {
                writes.add(TransactWriteItem.builder().put(put -> put.tableName(tableName)
                        .item(grantItem(current.id(), subject))).build());
            }
        }
        try {
            transact(writes);
            return true;
        } catch (TransactionCanceledException e) {
            if (failedCondition(e.cancellationReasons(), 0)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void removeLinks(Task removed) {
        List<WriteRequest> deletes = new ArrayList<>();
        for (Map<String, AttributeValue> link : links(removed)) {
            deletes.add(WriteRequest.builder().deleteRequest(delete -> delete.key(link)).build());
        }
        // at most 20 grants and a schedule link: one batch of at most 25
        Map<String, List<WriteRequest>> pending = deletes.isEmpty() ? Map.of() : Map.of(tableName, deletes);
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round == 10) {
                throw new IllegalStateException("links still unprocessed after 10 batch writes");
            }
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse response = dynamoDb.batchWriteItem(batch -> batch.requestItems(request));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        }
    }

    /** The keys of a task's link items: one grant per subject, its schedule's. */
    private static List<Map<String, AttributeValue>> links(Task task) {
        List<Map<String, AttributeValue>> links = new ArrayList<>();
        for (String subject : task.options().access()) {
            links.add(key(grantId(task.id(), subject)));
        }
        if (task.options().schedule() != null) {
            links.add(key(SCHEDULE_LINK_PREFIX + task.id()));
        }
        return links;
    }

    private Map<String, AttributeValue> grantItem(String taskId, String subject) {
        return link(grantId(taskId, subject), TaskItemMapper.grantsGroup(subject), taskId);
    }

    private static Map<String, AttributeValue> link(String id, String group, String taskId) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TaskItemMapper.ID, AttributeValue.fromS(id));
        item.put(TaskItemMapper.GROUP, AttributeValue.fromS(group));
        item.put(LINK_OF, AttributeValue.fromS(taskId));
        return item;
    }

    /** A grant's id sorts by its task's id (so by creation) within the subject's partition. */
    static String grantId(String taskId, String subject) {
        return GRANT_PREFIX + taskId + "#" + hex(sha256(subject)).substring(0, 32);
    }

    // ---- listing ----

    @Override
    public TaskPage list(String owner, TaskQuery query) {
        if (query.createdAfter() != null && query.createdBefore() != null
                && !query.createdAfter().isBefore(query.createdBefore())) {
            return new TaskPage(List.of(), null);
        }
        if (query.queue() != null || query.parent() != null || query.schedule() != null || query.sharedWithMe()) {
            return listGroup(owner, query);
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#owner", TaskItemMapper.OWNER);
        values.put(":owner", AttributeValue.fromS(TaskItemMapper.ownerKey(owner)));
        // ids start with their creation millisecond, read from another clock call than createdAt:
        // the key range is widened by ID_CLOCK_SKEW and createdAt itself decides, below
        String low = query.createdAfter() == null ? null
                : TaskIds.lowerBound(query.createdAfter().minus(ID_CLOCK_SKEW));
        String high = query.createdBefore() == null ? null
                : TaskIds.upperBound(query.createdBefore().plus(ID_CLOCK_SKEW));
        String keyCondition = "#owner = :owner";
        if (low != null || high != null) {
            names.put("#id", TaskItemMapper.ID);
        }
        if (low != null && high != null) {
            keyCondition += " AND #id BETWEEN :low AND :high";
            values.put(":low", AttributeValue.fromS(low));
            values.put(":high", AttributeValue.fromS(high));
        } else if (low != null) {
            keyCondition += " AND #id >= :low";
            values.put(":low", AttributeValue.fromS(low));
        } else if (high != null) {
            keyCondition += " AND #id <= :high";
            values.put(":high", AttributeValue.fromS(high));
        }
        List<String> filters = new ArrayList<>();
        if (query.status() != null) {
            filters.add("#status = :status");
            names.put("#status", TaskItemMapper.STATUS);
            values.put(":status", AttributeValue.fromS(query.status().wire()));
        }
        if (query.type() != null) {
            filters.add("#type = :type");
            names.put("#type", "type");
            values.put(":type", AttributeValue.fromS(query.type()));
        }
        List<Task> tasks = new ArrayList<>();
        // the index's key plus the table's: where the previous page stopped
        Map<String, AttributeValue> start = query.startAfterId() == null ? null : Map.of(
                TaskItemMapper.OWNER, AttributeValue.fromS(TaskItemMapper.ownerKey(owner)),
                TaskItemMapper.ID, AttributeValue.fromS(query.startAfterId()));
        for (int page = 0; page < MAX_QUERY_PAGES; page++) {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(tableName)
                    .indexName(OWNER_INDEX)
                    .keyConditionExpression(keyCondition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .limit(query.pageSize() - tasks.size() + 1)
                    .exclusiveStartKey(start);
            if (!filters.isEmpty()) {
                request.filterExpression(String.join(" AND ", filters));
            }
            QueryResponse response = dynamoDb.query(request.build());
            for (Map<String, AttributeValue> item : response.items()) {
                Task task = TaskItemMapper.fromItem(item);
                if (!query.matches(task)) {
                    continue;
                }
                if (tasks.size() == query.pageSize()) {
                    // one more matching task exists: the page is full and another follows
                    return new TaskPage(tasks, tasks.get(tasks.size() - 1).id());
                }
                tasks.add(task);
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return new TaskPage(tasks, null);
            }
            start = response.lastEvaluatedKey();
        }
        // read budget spent: every item read so far is on this page or did not match, so the next
        // page continues after the last item read (even when this page is empty)
        return new TaskPage(tasks, start.get(TaskItemMapper.ID).s());
    }

    /**
     * A named queue's tasks, a parent's children, a schedule's tasks or the tasks shared with the
     * caller: their ids from {@code ByGroup} (newest first), the tasks from one batch read per page.
     */
    private TaskPage listGroup(String owner, TaskQuery query) {
        String group;
        java.util.function.Function<String, String> itemIdOf;
        if (query.queue() != null) {
            group = TaskItemMapper.laneGroup(owner, query.queue());
            itemIdOf = id -> id;
        } else if (query.parent() != null) {
            group = TaskItemMapper.childrenGroup(query.parent());
            itemIdOf = id -> id;
        } else if (query.schedule() != null) {
            group = TaskItemMapper.scheduleGroup(query.schedule());
            itemIdOf = id -> SCHEDULE_LINK_PREFIX + id;
        } else {
            group = TaskItemMapper.grantsGroup(owner);
            itemIdOf = id -> grantId(id, owner);
        }
        List<Task> tasks = new ArrayList<>();
        Map<String, AttributeValue> start = query.startAfterId() == null ? null : Map.of(
                TaskItemMapper.GROUP, AttributeValue.fromS(group),
                TaskItemMapper.ID, AttributeValue.fromS(itemIdOf.apply(query.startAfterId())));
        String lastRead = null;
        for (int page = 0; page < MAX_QUERY_PAGES; page++) {
            Map<String, AttributeValue> from = start;
            QueryResponse response = dynamoDb.query(q -> q
                    .tableName(tableName)
                    .indexName(GROUP_INDEX)
                    .keyConditionExpression("#group = :group")
                    .expressionAttributeNames(Map.of("#group", TaskItemMapper.GROUP))
                    .expressionAttributeValues(Map.of(":group", AttributeValue.fromS(group)))
                    .scanIndexForward(false)
                    .limit(query.pageSize() - tasks.size() + 1)
                    .exclusiveStartKey(from));
            List<String> ids = new ArrayList<>();
            for (Map<String, AttributeValue> item : response.items()) {
                AttributeValue linkOf = item.get(LINK_OF);
                String id = linkOf != null ? linkOf.s() : item.get(TaskItemMapper.ID).s();
                if (!(query.parent() != null && id.equals(query.parent()))) {
                    ids.add(id);
                }
            }
            Map<String, Task> read = ids.isEmpty() ? Map.of() : findAll(ids);
            for (String id : ids) {
                lastRead = id;
                Task task = read.get(id);
                boolean visible = task != null && (query.sharedWithMe() ? task.readableBy(owner) && !task.owner().equals(owner)
                        : task.owner().equals(owner));
                if (!visible || !query.matches(task)) {
                    continue;
                }
                if (tasks.size() == query.pageSize()) {
                    return new TaskPage(tasks, tasks.get(tasks.size() - 1).id());
                }
                tasks.add(task);
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return new TaskPage(tasks, null);
            }
            start = response.lastEvaluatedKey();
        }
        return new TaskPage(tasks, lastRead);
    }

    /** Every item of a {@code ByGroup} partition, as projected, oldest first, optionally filtered. */
    private List<Map<String, AttributeValue>> groupItems(String group, boolean ascending, String filter,
                                                         Map<String, String> filterNames,
                                                         Map<String, AttributeValue> filterValues) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, String> names = new HashMap<>(filterNames);
        names.put("#group", TaskItemMapper.GROUP);
        Map<String, AttributeValue> values = new HashMap<>(filterValues);
        values.put(":group", AttributeValue.fromS(group));
        Map<String, AttributeValue> start = null;
        for (int page = 0; page < MAX_QUERY_PAGES; page++) {
            Map<String, AttributeValue> from = start;
            QueryResponse response = dynamoDb.query(q -> q
                    .tableName(tableName)
                    .indexName(GROUP_INDEX)
                    .keyConditionExpression("#group = :group")
                    .filterExpression(filter)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(ascending)
                    .exclusiveStartKey(from));
            items.addAll(response.items());
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                break;
            }
            start = response.lastEvaluatedKey();
        }
        return items;
    }

    @Override
    public List<Task> dueForSweep(Instant now, int limit) {
        List<Task> due = new ArrayList<>();
        for (int shard = 0; shard < TaskItemMapper.SWEEP_SHARDS && due.size() < limit; shard++) {
            String shardKey = Integer.toString(shard);
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse response = dynamoDb.query(q -> q
                        .tableName(tableName)
                        .indexName(SWEEP_INDEX)
                        .keyConditionExpression("#shard = :shard AND #at <= :now")
                        .expressionAttributeNames(Map.of("#shard", TaskItemMapper.SWEEP_SHARD,
                                "#at", TaskItemMapper.SWEEP_AT))
                        .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(shardKey),
                                ":now", AttributeValue.fromS(now.toString())))
                        .limit(limit - due.size())
                        .exclusiveStartKey(from));
                for (Map<String, AttributeValue> keys : response.items()) {
                    // the index holds keys only and lags the table: read the task itself (a
                    // snoozed task's stored sweepAt is its own; the index already passed it as due)
                    find(keys.get(TaskItemMapper.ID).s())
                            .filter(t -> !t.isTerminal())
                            .ifPresent(due::add);
                }
                start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
            } while (start != null && due.size() < limit);
        }
        return due;
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyKey(String owner, String key) {
        GetItemResponse response = dynamoDb.getItem(get -> get
                .tableName(tableName)
                .key(key(keyId(owner, key)))
                .consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(item.get(TaskItemMapper.TTL).n()));
        if (!expiresAt.isAfter(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(owner, key, item.get("requestHash").s(),
                item.get("taskId").s(), expiresAt));
    }

    /** The owner's stored count of active tasks (for tests and operators). */
    public long activeCount(String owner) {
        GetItemResponse response = dynamoDb.getItem(get -> get
                .tableName(tableName).key(key(counterId(owner))).consistentRead(true));
        AttributeValue value = response.hasItem() ? response.item().get(ACTIVE) : null;
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private Map<String, AttributeValue> keyItem(IdempotencyRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TaskItemMapper.ID, AttributeValue.fromS(keyId(record.owner(), record.key())));
        item.put("taskId", AttributeValue.fromS(record.taskId()));
        item.put("requestHash", AttributeValue.fromS(record.requestHash()));
        item.put(TaskItemMapper.TTL, AttributeValue.fromN(Long.toString(record.expiresAt().getEpochSecond())));
        return item;
    }

    /** A transaction's items, and where in it the parent's update is (its cancellation reason says if it failed). */
    private static final class Writes {
        final List<TransactWriteItem> items = new ArrayList<>();
        int parentIndex = -1;

        int add(TransactWriteItem item) {
            items.add(item);
            return items.size() - 1;
        }
    }

    /** Runs a transaction, retrying when it only lost a race with another transaction. */
    private void transact(List<TransactWriteItem> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(t -> t.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                boolean conflictOnly = e.hasCancellationReasons() && e.cancellationReasons().stream()
                        .allMatch(r -> "None".equals(r.code()) || "TransactionConflict".equals(r.code()));
                if (!conflictOnly || attempt >= TRANSACTION_ATTEMPTS) {
                    throw e;
                }
                pause(attempt, e);
            }
        }
    }

    private static void pause(int attempt, RuntimeException cause) {
        try {
            Thread.sleep(10L * attempt + (long) (Math.random() * 20));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return index >= 0 && reasons != null && reasons.size() > index
                && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static String counterId(String owner) {
        return COUNTER_PREFIX + TaskItemMapper.ownerKey(owner);
    }

    private static String laneId(String owner, String queue) {
        return LANE_PREFIX + TaskItemMapper.ownerKey(owner) + "#" + queue;
    }

    /** Keys are stored hashed with their owner: scoped per owner, and no raw client input in a key. */
    static String keyId(String owner, String key) {
        MessageDigest digest = sha256();
        digest.update(OwnerKeys.key(owner).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        return KEY_PREFIX + hex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(String text) {
        return sha256().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] hash) {
        StringBuilder hex = new StringBuilder(hash.length * 2);
        for (byte b : hash) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(TaskItemMapper.ID, AttributeValue.fromS(id));
    }
}
