package dev.longhaul.aws.dynamodb;

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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Tasks in one DynamoDB table keyed by {@code id}, next to two kinds of bookkeeping items:
 * {@code owner#<owner key>} holds an owner's count of active tasks and {@code idem#<hash>} an
 * idempotency key. Owners are in keys, and in the {@code ByOwner} index, as {@link OwnerKeys}
 * makes them. Neither bookkeeping item has an {@code owner} attribute, so the index holds tasks
 * only.
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
    private static final AttributeValue QUEUED = AttributeValue.fromS(TaskStatus.QUEUED.wire());
    private static final AttributeValue RUNNING = AttributeValue.fromS(TaskStatus.RUNNING.wire());
    private static final AttributeValue ONE = AttributeValue.fromN("1");
    private static final AttributeValue MINUS_ONE = AttributeValue.fromN("-1");

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbTaskStore(DynamoDbClient dynamoDb, String tableName) {
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
        List<TransactWriteItem> writes = new ArrayList<>(3);
        writes.add(TransactWriteItem.builder().put(put -> put
                .tableName(tableName)
                .item(TaskItemMapper.toItem(task))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID))).build());
        Map<String, AttributeValue> countValues = new HashMap<>();
        countValues.put(":one", ONE);
        countValues.put(":zero", AttributeValue.fromN("0"));
        if (admission.limited()) {
            countValues.put(":limit", AttributeValue.fromN(Integer.toString(admission.maxActive())));
        }
        writes.add(TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(counterKey(task.owner()))
                .updateExpression("SET #active = if_not_exists(#active, :zero) + :one")
                .conditionExpression(admission.limited() ? "attribute_not_exists(#active) OR #active < :limit" : null)
                .expressionAttributeNames(Map.of("#active", ACTIVE))
                .expressionAttributeValues(countValues)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
        IdempotencyRecord idempotency = admission.idempotency();
        if (idempotency != null) {
            writes.add(TransactWriteItem.builder().put(put -> put
                    .tableName(tableName)
                    .item(keyItem(idempotency))
                    .conditionExpression("attribute_not_exists(#id) OR #ttl < :now")
                    .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID, "#ttl", TaskItemMapper.TTL))
                    .expressionAttributeValues(Map.of(":now",
                            AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond()))))).build());
        }
        try {
            transact(writes);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 1)) {
                AttributeValue current = reasons.get(1).item() == null ? null : reasons.get(1).item().get(ACTIVE);
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
        GetItemResponse response = dynamoDb.getItem(get -> get
                .tableName(tableName)
                .key(key(id))
                .consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(TaskItemMapper.fromItem(response.item()))
                : Optional.empty();
    }

    @Override
    public boolean replace(Task next) {
        Map<String, AttributeValue> values = Map.of(
                ":expected", AttributeValue.fromN(Long.toString(next.revision() - 1)),
                ":queued", QUEUED,
                ":running", RUNNING);
        if (!next.isTerminal()) {
            try {
                dynamoDb.putItem(put -> put
                        .tableName(tableName)
                        .item(TaskItemMapper.toItem(next))
                        .conditionExpression(REPLACE_CONDITION)
                        .expressionAttributeNames(REPLACE_NAMES)
                        .expressionAttributeValues(values));
                return true;
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
                return false;
            }
        }
        // a terminal transition gives the owner's slot back in the same transaction
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().put(put -> put
                        .tableName(tableName)
                        .item(TaskItemMapper.toItem(next))
                        .conditionExpression(REPLACE_CONDITION)
                        .expressionAttributeNames(REPLACE_NAMES)
                        .expressionAttributeValues(values)).build(),
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
        List<TransactWriteItem> writes = new ArrayList<>(2);
        writes.add(TransactWriteItem.builder().delete(delete -> delete
                .tableName(tableName)
                .key(key(current.id()))
                .conditionExpression("#revision = :expected")
                .expressionAttributeNames(Map.of("#revision", TaskItemMapper.REVISION))
                .expressionAttributeValues(Map.of(":expected",
                        AttributeValue.fromN(Long.toString(current.revision()))))).build());
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
        List<TransactWriteItem> writes = new ArrayList<>(3);
        // only what the create stored: a create that never landed releases no slot
        writes.add(TransactWriteItem.builder().delete(delete -> delete
                .tableName(tableName).key(key(task.id()))
                .conditionExpression("attribute_exists(#id) AND #revision = :created")
                .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID, "#revision", TaskItemMapper.REVISION))
                .expressionAttributeValues(Map.of(":created", AttributeValue.fromN(Long.toString(task.revision())))))
                .build());
        writes.add(release(task.owner()));
        if (admission.idempotency() != null) {
            writes.add(TransactWriteItem.builder().delete(delete -> delete
                    .tableName(tableName)
                    .key(key(keyId(admission.idempotency().owner(), admission.idempotency().key()))))
                    .build());
        }
        try {
            transact(writes);
        } catch (TransactionCanceledException e) {
            if (!failedCondition(e.cancellationReasons(), 0)) {
                throw e;
            }
            // nothing of this create is stored (or it moved on): nothing to undo
        }
    }

    @Override
    public TaskPage list(String owner, TaskQuery query) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#owner", TaskItemMapper.OWNER);
        AttributeValue ownerKey = AttributeValue.fromS(OwnerKeys.key(owner));
        values.put(":owner", ownerKey);
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
                TaskItemMapper.OWNER, ownerKey,
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
                if (!createdWithin(task, query)) {
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

    private static boolean createdWithin(Task task, TaskQuery query) {
        return (query.createdAfter() == null || task.createdAt().isAfter(query.createdAfter()))
                && (query.createdBefore() == null || task.createdAt().isBefore(query.createdBefore()));
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
                    // the index holds keys only and lags the table: read the task itself
                    find(keys.get(TaskItemMapper.ID).s())
                            .filter(t -> t.sweepAt() != null && !t.sweepAt().isAfter(now))
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
                .tableName(tableName).key(counterKey(owner)).consistentRead(true));
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

    private TransactWriteItem release(String owner) {
        return TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(counterKey(owner))
                .updateExpression("ADD #active :minusOne")
                .expressionAttributeNames(Map.of("#active", ACTIVE))
                .expressionAttributeValues(Map.of(":minusOne", MINUS_ONE))).build();
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
                try {
                    Thread.sleep(10L * attempt + (long) (Math.random() * 20));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** Keys are stored hashed with their owner: scoped per owner, and no raw client input in a key. */
    static String keyId(String owner, String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(OwnerKeys.key(owner).getBytes(StandardCharsets.UTF_8));
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

    private static Map<String, AttributeValue> counterKey(String owner) {
        return key(COUNTER_PREFIX + OwnerKeys.key(owner));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(TaskItemMapper.ID, AttributeValue.fromS(id));
    }
}
