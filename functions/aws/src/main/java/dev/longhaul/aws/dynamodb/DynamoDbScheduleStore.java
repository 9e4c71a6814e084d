package dev.longhaul.aws.dynamodb;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.schedule.Schedule;
import dev.longhaul.core.schedule.ScheduleLimitException;
import dev.longhaul.core.schedule.ScheduleStore;
import dev.longhaul.core.task.TaskError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Schedules as items of the tasks table:
 * <ul>
 * <li>{@code schedule#<owner>#<id>}: one schedule, in the {@code BySweepAt} index (partitions
 * {@code s0}-{@code s3}, apart from the tasks') at its next tick, so the sweeper finds the due
 * ones without a scan;</li>
 * <li>{@code schedules#<owner>}: the string set of the owner's schedule ids, so listing is one
 * read plus one batch read, and its size enforces the per-owner limit in the same transaction as
 * the write.</li>
 * </ul>
 * Neither has an {@code owner} attribute (the owner is in {@code scheduleOwner}) nor a
 * {@code ttl}.
 */
public final class DynamoDbScheduleStore implements ScheduleStore {
    static final String SCHEDULE_PREFIX = "schedule#";
    static final String INDEX_PREFIX = "schedules#";
    static final String SCHEDULE_OWNER = "scheduleOwner";
    static final String IDS = OwnerIdSets.IDS;
    /** Schedules spread over partitions of the sweep index of their own. */
    static final int SHARDS = 4;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbScheduleStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public void add(Schedule schedule, int maxPerOwner) {
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().put(put -> put
                        .tableName(tableName)
                        .item(toItem(schedule))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID))).build(),
                OwnerIdSets.add(tableName, key(INDEX_PREFIX + TaskItemMapper.ownerKey(schedule.owner())), schedule.id(), maxPerOwner));
        try {
            dynamoDb.transactWriteItems(t -> t.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (OwnerIdSets.failedAt(e, 1)) {
                throw new ScheduleLimitException(maxPerOwner);
            }
            throw e;
        }
    }

    @Override
    public Optional<Schedule> find(String owner, String id) {
        GetItemResponse response = dynamoDb.getItem(get -> get
                .tableName(tableName).key(key(itemId(owner, id))).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(fromItem(response.item())).filter(s -> s.owner().equals(owner));
    }

    @Override
    public List<Schedule> list(String owner) {
        GetItemResponse index = dynamoDb.getItem(get -> get
                .tableName(tableName).key(key(INDEX_PREFIX + TaskItemMapper.ownerKey(owner))).consistentRead(true));
        AttributeValue ids = index.hasItem() ? index.item().get(IDS) : null;
        if (ids == null || !ids.hasSs() || ids.ss().isEmpty()) {
            return List.of();
        }
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : ids.ss()) {
            keys.add(key(itemId(owner, id)));
        }
        List<Schedule> found = new ArrayList<>();
        for (Map<String, AttributeValue> item : BatchReads.items(dynamoDb, tableName, keys)) {
            Schedule s = fromItem(item);
            if (s.owner().equals(owner)) {
                found.add(s);
            }
        }
        found.sort(Comparator.comparing(Schedule::createdAt).thenComparing(Schedule::id));
        return found;
    }

    @Override
    public boolean remove(String owner, String id) {
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().delete(delete -> delete
                        .tableName(tableName)
                        .key(key(itemId(owner, id)))
                        .conditionExpression("attribute_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID))).build(),
                OwnerIdSets.remove(tableName, key(INDEX_PREFIX + TaskItemMapper.ownerKey(owner)), id));
        try {
            dynamoDb.transactWriteItems(t -> t.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            if (OwnerIdSets.failedAt(e, 0)) {
                return false;
            }
            throw e;
        }
    }

    /** Every shard of the sweep index's schedule partitions, due ticks first; each read in full. */
    @Override
    public List<Schedule> due(Instant now, int limit) {
        List<Schedule> due = new ArrayList<>();
        for (int shard = 0; shard < SHARDS && due.size() < limit; shard++) {
            String shardKey = shard(shard);
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse response = dynamoDb.query(q -> q
                        .tableName(tableName)
                        .indexName(DynamoDbTaskStore.SWEEP_INDEX)
                        .keyConditionExpression("#shard = :shard AND #at <= :now")
                        .expressionAttributeNames(Map.of("#shard", TaskItemMapper.SWEEP_SHARD,
                                "#at", TaskItemMapper.SWEEP_AT))
                        .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(shardKey),
                                ":now", AttributeValue.fromS(now.toString())))
                        .limit(limit - due.size())
                        .exclusiveStartKey(from));
                for (Map<String, AttributeValue> keys : response.items()) {
                    GetItemResponse item = dynamoDb.getItem(get -> get
                            .tableName(tableName).key(key(keys.get(TaskItemMapper.ID).s())).consistentRead(true));
                    if (item.hasItem() && !item.item().isEmpty()) {
                        due.add(fromItem(item.item()));
                    }
                }
                start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
            } while (start != null && due.size() < limit);
        }
        return due;
    }

    @Override
    public boolean update(Schedule next) {
        try {
            dynamoDb.putItem(put -> put
                    .tableName(tableName)
                    .item(toItem(next))
                    .conditionExpression("#revision = :expected")
                    .expressionAttributeNames(Map.of("#revision", TaskItemMapper.REVISION))
                    .expressionAttributeValues(Map.of(":expected",
                            AttributeValue.fromN(Long.toString(next.revision() - 1)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static String itemId(String owner, String id) {
        return SCHEDULE_PREFIX + TaskItemMapper.ownerKey(owner) + "#" + id;
    }

    private static String shard(int n) {
        return "s" + n;
    }

    private static Map<String, AttributeValue> toItem(Schedule s) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TaskItemMapper.ID, AttributeValue.fromS(itemId(s.owner(), s.id())));
        item.put("scheduleId", AttributeValue.fromS(s.id()));
        item.put(SCHEDULE_OWNER, AttributeValue.fromS(s.owner()));
        put(item, "cron", s.cron());
        put(item, "rate", s.rate());
        put(item, "timezone", s.timezone());
        item.put("task", AttributeValue.fromS(Json.write(s.task())));
        item.put("createdAt", AttributeValue.fromS(s.createdAt().toString()));
        put(item, "nextTick", s.nextTick() == null ? null : s.nextTick().toString());
        put(item, "lastTick", s.lastTick() == null ? null : s.lastTick().toString());
        put(item, "lastTaskId", s.lastTaskId());
        if (s.lastError() != null) {
            item.put("lastError", AttributeValue.fromM(Map.of(
                    "code", AttributeValue.fromS(s.lastError().code()),
                    "message", AttributeValue.fromS(s.lastError().message()))));
        }
        item.put(TaskItemMapper.REVISION, AttributeValue.fromN(Long.toString(s.revision())));
        if (s.nextTick() != null) {
            item.put(TaskItemMapper.SWEEP_SHARD, AttributeValue.fromS(shard(Math.floorMod(s.id().hashCode(), SHARDS))));
            item.put(TaskItemMapper.SWEEP_AT, AttributeValue.fromS(s.nextTick().toString()));
        }
        return item;
    }

    private static Schedule fromItem(Map<String, AttributeValue> item) {
        AttributeValue error = item.get("lastError");
        TaskError lastError = error == null || !error.hasM() ? null
                : new TaskError(error.m().get("code").s(), error.m().get("message").s());
        return new Schedule(item.get("scheduleId").s(), item.get(SCHEDULE_OWNER).s(), string(item, "cron"),
                string(item, "rate"), string(item, "timezone"), Json.parseObject(item.get("task").s()),
                Instant.parse(item.get("createdAt").s()), instant(item, "nextTick"), instant(item, "lastTick"),
                string(item, "lastTaskId"), lastError, Long.parseLong(item.get(TaskItemMapper.REVISION).n()));
    }

    private static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        return value == null ? null : Instant.parse(value);
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(TaskItemMapper.ID, AttributeValue.fromS(id));
    }
}
