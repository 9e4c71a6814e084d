package dev.longhaul.aws.dynamodb;

import dev.longhaul.aws.dynamodb.DynamoDb.Request;
import dev.longhaul.aws.dynamodb.DynamoDb.TransactItem;
import dev.longhaul.aws.dynamodb.TransactionCanceledException.Reason;
import dev.longhaul.core.port.ActiveTaskLimitException;
import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.IdempotencyKeyTakenException;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.port.TaskPage;
import dev.longhaul.core.port.TaskQuery;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tasks in one DynamoDB table keyed by {@code id}, next to two kinds of bookkeeping items:
 * {@code owner#<sub>} holds an owner's count of active tasks and {@code idem#<hash>} an
 * idempotency key. Neither has an {@code owner} attribute, so the {@code ByOwner} index holds
 * tasks only.
 *
 * <p>Every write of an existing task is guarded by the revision it was derived from and by the
 * stored status still being active, so a stale or late writer changes nothing and a terminal
 * state is final. Writes that change the active count are transactions with the count.
 */
public final class DynamoDbTaskStore implements TaskStore {
    public static final String OWNER_INDEX = "ByOwner";
    public static final String SWEEP_INDEX = "BySweepAt";
    static final String ACTIVE = "active";
    static final String COUNTER_PREFIX = "owner#";
    static final String KEY_PREFIX = "idem#";
    private static final int TRANSACTION_ATTEMPTS = 5;
    private static final int MAX_QUERY_PAGES = 10;
    private static final java.time.Duration ID_CLOCK_SKEW = java.time.Duration.ofSeconds(1);
    private static final String REPLACE_CONDITION = "#revision = :expected AND #status IN (:queued, :running)";
    private static final Map<String, String> REPLACE_NAMES =
            Map.of("#revision", TaskItemMapper.REVISION, "#status", TaskItemMapper.STATUS);
    private static final Attr QUEUED = Attr.fromS(TaskStatus.QUEUED.wire());
    private static final Attr RUNNING = Attr.fromS(TaskStatus.RUNNING.wire());
    private static final Attr ONE = Attr.fromN("1");
    private static final Attr MINUS_ONE = Attr.fromN("-1");

    private final DynamoDb dynamoDb;
    private final String tableName;

    public DynamoDbTaskStore(DynamoDb dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    /**
     * One transaction: the task (new id), the owner's count (under the limit) and the key (new
     * or expired).
     *
     * @throws TaskAlreadyExistsException when a task with this id is already stored
     */
    @Override
    public void create(Task task, Admission admission) {
        List<TransactItem> writes = new ArrayList<>(3);
        writes.add(TransactItem.put(Request.table(tableName)
                .item(TaskItemMapper.toItem(task))
                .condition("attribute_not_exists(#id)")
                .names(Map.of("#id", TaskItemMapper.ID))));
        Map<String, Attr> countValues = new HashMap<>();
        countValues.put(":one", ONE);
        countValues.put(":zero", Attr.fromN(0));
        if (admission.limited()) {
            countValues.put(":limit", Attr.fromN(admission.maxActive()));
        }
        writes.add(TransactItem.update(Request.table(tableName)
                .key(key(COUNTER_PREFIX + task.owner()))
                .update("SET #active = if_not_exists(#active, :zero) + :one")
                .condition(admission.limited() ? "attribute_not_exists(#active) OR #active < :limit" : null)
                .names(Map.of("#active", ACTIVE))
                .values(countValues)
                .returnOldItemOnConditionFailure()));
        IdempotencyRecord idempotency = admission.idempotency();
        if (idempotency != null) {
            writes.add(TransactItem.put(Request.table(tableName)
                    .item(keyItem(idempotency))
                    .condition("attribute_not_exists(#id) OR #ttl < :now")
                    .names(Map.of("#id", TaskItemMapper.ID, "#ttl", TaskItemMapper.TTL))
                    .values(Map.of(":now", Attr.fromN(Instant.now().getEpochSecond())))));
        }
        try {
            transact(writes);
        } catch (TransactionCanceledException e) {
            List<Reason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 1)) {
                Attr current = reasons.get(1).item() == null ? null : reasons.get(1).item().get(ACTIVE);
                throw new ActiveTaskLimitException(admission.maxActive(),
                        current == null ? admission.maxActive() : Long.parseLong(current.n()));
            }
            if (failedCondition(reasons, 2)) {
                throw new IdempotencyKeyTakenException();
            }
            if (failedCondition(reasons, 0)) {
                throw new TaskAlreadyExistsException(task.id(), e);
            }
            throw e;
        }
    }

    @Override
    public Optional<Task> find(String id) {
        if (!TaskIds.isWellFormed(id)) {
            return Optional.empty();
        }
        Map<String, Attr> item = dynamoDb.getItem(Request.table(tableName).key(key(id)).consistentRead());
        return item == null ? Optional.empty() : Optional.of(TaskItemMapper.fromItem(item));
    }

    @Override
    public boolean replace(Task next) {
        Map<String, Attr> values = Map.of(
                ":expected", Attr.fromN(next.revision() - 1),
                ":queued", QUEUED,
                ":running", RUNNING);
        if (!next.isTerminal()) {
            try {
                dynamoDb.putItem(Request.table(tableName)
                        .item(TaskItemMapper.toItem(next))
                        .condition(REPLACE_CONDITION)
                        .names(REPLACE_NAMES)
                        .values(values));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        }
        // a terminal transition gives the owner's slot back in the same transaction
        List<TransactItem> writes = List.of(
                TransactItem.put(Request.table(tableName)
                        .item(TaskItemMapper.toItem(next))
                        .condition(REPLACE_CONDITION)
                        .names(REPLACE_NAMES)
                        .values(values)),
                release(next.owner()));
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
    public boolean delete(Task current) {
        List<TransactItem> writes = new ArrayList<>(2);
        writes.add(TransactItem.delete(Request.table(tableName)
                .key(key(current.id()))
                .condition("#revision = :expected")
                .names(Map.of("#revision", TaskItemMapper.REVISION))
                .values(Map.of(":expected", Attr.fromN(current.revision())))));
        if (current.status().isActive()) {
            writes.add(release(current.owner()));
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
    public void undoCreate(Task task, Admission admission) {
        List<TransactItem> writes = new ArrayList<>(3);
        writes.add(TransactItem.delete(Request.table(tableName).key(key(task.id()))));
        writes.add(release(task.owner()));
        if (admission.idempotency() != null) {
            writes.add(TransactItem.delete(Request.table(tableName)
                    .key(key(keyId(admission.idempotency().owner(), admission.idempotency().key())))));
        }
        transact(writes);
    }

    @Override
    public TaskPage list(String owner, TaskQuery query) {
        Map<String, String> names = new HashMap<>();
        Map<String, Attr> values = new HashMap<>();
        names.put("#owner", TaskItemMapper.OWNER);
        values.put(":owner", Attr.fromS(owner));
        if (query.createdAfter() != null && query.createdBefore() != null
                && !query.createdAfter().isBefore(query.createdBefore())) {
            return new TaskPage(List.of(), null);
        }
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
            values.put(":low", Attr.fromS(low));
            values.put(":high", Attr.fromS(high));
        } else if (low != null) {
            keyCondition += " AND #id >= :low";
            values.put(":low", Attr.fromS(low));
        } else if (high != null) {
            keyCondition += " AND #id <= :high";
            values.put(":high", Attr.fromS(high));
        }
        List<String> filters = new ArrayList<>();
        if (query.status() != null) {
            filters.add("#status = :status");
            names.put("#status", TaskItemMapper.STATUS);
            values.put(":status", Attr.fromS(query.status().wire()));
        }
        if (query.type() != null) {
            filters.add("#type = :type");
            names.put("#type", "type");
            values.put(":type", Attr.fromS(query.type()));
        }
        List<Task> tasks = new ArrayList<>();
        // the index's key plus the table's: where the previous page stopped
        Map<String, Attr> start = query.startAfterId() == null ? null : Map.of(
                TaskItemMapper.OWNER, Attr.fromS(owner),
                TaskItemMapper.ID, Attr.fromS(query.startAfterId()));
        for (int page = 0; page < MAX_QUERY_PAGES; page++) {
            Request request = Request.table(tableName)
                    .index(OWNER_INDEX)
                    .keyCondition(keyCondition)
                    .names(names)
                    .values(values)
                    .descending()
                    .limit(query.pageSize() - tasks.size() + 1)
                    .startAfter(start);
            if (!filters.isEmpty()) {
                request.filter(String.join(" AND ", filters));
            }
            DynamoDb.Page response = dynamoDb.query(request);
            for (Map<String, Attr> item : response.items()) {
                Task task = TaskItemMapper.fromItem(item);
                if (!createdWithin(task, query)) {
                    continue;
                }
                if (tasks.size() == query.pageSize()) {
                    // one more matching task exists: the page is full and another follows
                    return new TaskPage(tasks, tasks.get(tasks.size() - 1).id());
                }
                tasks.add(task);
            }
            if (response.lastEvaluatedKey() == null) {
                return new TaskPage(tasks, null);
            }
            start = response.lastEvaluatedKey();
        }
        // read budget spent: every item read so far is on this page or did not match, so the next
        // page continues after the last item read (even when this page is empty)
        return new TaskPage(tasks, start.get(TaskItemMapper.ID).s());
    }

    private static boolean createdWithin(Task task, TaskQuery query) {
        return (query.createdAfter() == null || task.createdAt().isAfter(query.createdAfter()))
                && (query.createdBefore() == null || task.createdAt().isBefore(query.createdBefore()));
    }

    @Override
    public List<Task> dueForSweep(Instant now, int limit) {
        List<Task> due = new ArrayList<>();
        for (int shard = 0; shard < TaskItemMapper.SWEEP_SHARDS && due.size() < limit; shard++) {
            String shardKey = Integer.toString(shard);
            Map<String, Attr> start = null;
            do {
                DynamoDb.Page response = dynamoDb.query(Request.table(tableName)
                        .index(SWEEP_INDEX)
                        .keyCondition("#shard = :shard AND #at <= :now")
                        .names(Map.of("#shard", TaskItemMapper.SWEEP_SHARD, "#at", TaskItemMapper.SWEEP_AT))
                        .values(Map.of(":shard", Attr.fromS(shardKey), ":now", Attr.fromS(now.toString())))
                        .limit(limit - due.size())
                        .startAfter(start));
                for (Map<String, Attr> keys : response.items()) {
                    // the index holds keys only and lags the table: read the task itself
                    find(keys.get(TaskItemMapper.ID).s())
                            .filter(t -> t.sweepAt() != null && !t.sweepAt().isAfter(now))
                            .ifPresent(due::add);
                }
                start = response.lastEvaluatedKey();
            } while (start != null && due.size() < limit);
        }
        return due;
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyKey(String owner, String key) {
        Map<String, Attr> item = dynamoDb.getItem(Request.table(tableName)
                .key(key(keyId(owner, key)))
                .consistentRead());
        if (item == null) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(item.get(TaskItemMapper.TTL).n()));
        if (!expiresAt.isAfter(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(owner, key, item.get("requestHash").s(),
                item.get("taskId").s(), expiresAt));
    }

    /** The owner's stored count of active tasks (for tests and operators). */
    public long activeCount(String owner) {
        Map<String, Attr> item = dynamoDb.getItem(Request.table(tableName)
                .key(key(COUNTER_PREFIX + owner)).consistentRead());
        Attr value = item == null ? null : item.get(ACTIVE);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private Map<String, Attr> keyItem(IdempotencyRecord record) {
        Map<String, Attr> item = new HashMap<>();
        item.put(TaskItemMapper.ID, Attr.fromS(keyId(record.owner(), record.key())));
        item.put("taskId", Attr.fromS(record.taskId()));
        item.put("requestHash", Attr.fromS(record.requestHash()));
        item.put(TaskItemMapper.TTL, Attr.fromN(record.expiresAt().getEpochSecond()));
        return item;
    }

    private TransactItem release(String owner) {
        return TransactItem.update(Request.table(tableName)
                .key(key(COUNTER_PREFIX + owner))
                .update("ADD #active :minusOne")
                .names(Map.of("#active", ACTIVE))
                .values(Map.of(":minusOne", MINUS_ONE)));
    }

    /** Runs a transaction, retrying when it only lost a race with another transaction. */
    private void transact(List<TransactItem> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(writes);
                return;
            } catch (TransactionCanceledException e) {
                boolean conflictOnly = !e.cancellationReasons().isEmpty() && e.cancellationReasons().stream()
                        .allMatch(r -> "None".equals(r.code()) || "TransactionConflict".equals(r.code()));
                if (!conflictOnly || attempt >= TRANSACTION_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(10L * attempt + (long) (Math.random() * 20));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean failedCondition(List<Reason> reasons, int index) {
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** Keys are stored hashed with their owner: scoped per owner, and no raw client input in a key. */
    static String keyId(String owner, String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(owner.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            byte[] hash = digest.digest(key.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(KEY_PREFIX);
            for (byte b : hash) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Attr> key(String id) {
        return Map.of(TaskItemMapper.ID, Attr.fromS(id));
    }
}
