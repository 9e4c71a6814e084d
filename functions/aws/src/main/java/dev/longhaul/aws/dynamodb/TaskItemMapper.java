package dev.longhaul.aws.dynamodb;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Notification;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A task as a DynamoDB item and back. Null fields are left out of the item. Parameters and
 * executions are stored as JSON text, which keeps arbitrary JSON (nulls, big numbers, nesting)
 * exactly as given; {@code ttl} holds {@code expiresAt} in epoch seconds for the table's TTL.
 */
public final class TaskItemMapper {
    public static final String ID = "id";
    /** The owner as keys hold it ({@link OwnerKeys#key}): the {@code ByOwner} index's partition key. */
    public static final String OWNER = "owner";
    /** The full subject, stored only when {@link #OWNER} holds its digest instead. */
    public static final String SUBJECT = "subject";
    public static final String STATUS = "status";
    public static final String REVISION = "revision";
    public static final String TTL = "ttl";
    public static final String NOTIFICATIONS = "notifications";
    public static final String SWEEP_SHARD = "sweepShard";
    public static final String SWEEP_AT = "sweepAt";
    /** Active tasks spread over this many index partitions, so none gets hot. */
    public static final int SWEEP_SHARDS = 4;
    /** The sweep index partition of finished tasks, never queried. */
    public static final String FINISHED_SHARD = "finished";

    static String sweepShard(String id) {
        return Integer.toString(Math.floorMod(id.hashCode(), SWEEP_SHARDS));
    }

    private TaskItemMapper() {
    }

    public static Map<String, AttributeValue> toItem(Task task) {
        Map<String, AttributeValue> item = new HashMap<>(32);
        putString(item, ID, task.id());
        String ownerKey = OwnerKeys.key(task.owner());
        putString(item, OWNER, ownerKey);
        if (!ownerKey.equals(task.owner())) {
            putString(item, SUBJECT, task.owner());
        }
        putString(item, "type", task.type());
        putString(item, STATUS, task.status().wire());
        putNumber(item, "progress", task.progress());
        putString(item, "description", task.description());
        putString(item, "parameters", Json.write(task.parameters()));
        putInstant(item, "createdAt", task.createdAt());
        putInstant(item, "updatedAt", task.updatedAt());
        putInstant(item, "startedAt", task.startedAt());
        putInstant(item, "finishedAt", task.finishedAt());
        putInstant(item, "expiresAt", task.expiresAt());
        putInstant(item, "eta", task.eta());
        putInstant(item, "leaseUntil", task.leaseUntil());
        putNumber(item, TTL, task.ttlEpochSeconds());
        putNumber(item, "attempts", task.attempts());
        putString(item, "executions", Json.write(TaskCodec.executionsToJson(task.executions())));
        if (task.error() != null) {
            item.put("error", AttributeValue.fromM(Map.of(
                    "code", AttributeValue.fromS(task.error().code()),
                    "message", AttributeValue.fromS(task.error().message()))));
        }
        if (task.result() != null) {
            Map<String, AttributeValue> result = new HashMap<>(2);
            putString(result, "contentType", task.result().contentType());
            putNumber(result, "size", task.result().size());
            item.put("result", AttributeValue.fromM(result));
        }
        putNumber(item, REVISION, task.revision());
        item.put("cancelRequested", AttributeValue.fromBool(task.cancelRequested()));
        putString(item, "runToken", task.runToken());
        if (!task.notifications().isEmpty()) {
            item.put(NOTIFICATIONS, notifications(task.notifications()));
        }
        Instant sweepAt = task.sweepAt();
        if (sweepAt != null) {
            putString(item, SWEEP_SHARD, sweepShard(task.id()));
            putString(item, SWEEP_AT, sweepAt.toString());
        } else {
            // Finished tasks sit in a partition the sweeper never reads. They could simply leave
            // the index, but DynamoDB Local then never expires them by TTL (and, once one such
            // item exists, nothing else in the table): keeping every task in every index keeps
            // the local cloud's TTL faithful. The index projects keys only, so this is cheap.
            putString(item, SWEEP_SHARD, FINISHED_SHARD);
            putString(item, SWEEP_AT, String.valueOf(task.expiresAt()));
        }
        return item;
    }

    /**
     * Notifications as a list of JSON strings: the notifier appends to it with {@code list_append}
     * without rewriting the task.
     */
    public static AttributeValue notifications(List<Notification> notifications) {
        List<AttributeValue> list = new ArrayList<>(notifications.size());
        for (Notification n : notifications) {
            list.add(AttributeValue.fromS(Json.write(n.toJson())));
        }
        return AttributeValue.fromL(list);
    }

    @SuppressWarnings("unchecked")
    public static Task fromItem(Map<String, AttributeValue> item) {
        TaskStatus status = TaskStatus.fromWire(string(item, STATUS));
        if (status == null) {
            throw new IllegalArgumentException("task item has an unknown status");
        }
        Long progress = number(item, "progress");
        String parameters = string(item, "parameters");
        String executions = string(item, "executions");
        Long attempts = number(item, "attempts");
        Long revision = number(item, REVISION);
        AttributeValue cancel = item.get("cancelRequested");
        return new Task(
                string(item, ID),
                item.containsKey(SUBJECT) ? string(item, SUBJECT) : string(item, OWNER),
                string(item, "type"),
                status,
                progress == null ? null : progress.intValue(),
                string(item, "description"),
                parameters == null ? Map.of() : Json.parseObject(parameters),
                instant(item, "createdAt"),
                instant(item, "updatedAt"),
                instant(item, "startedAt"),
                instant(item, "finishedAt"),
                instant(item, "expiresAt"),
                instant(item, "eta"),
                attempts == null ? 0 : attempts.intValue(),
                executions == null ? List.of() : TaskCodec.executionsFromJson((List<Object>) Json.parse(executions)),
                error(item.get("error")),
                result(item.get("result")),
                revision == null ? 0 : revision,
                cancel != null && Boolean.TRUE.equals(cancel.bool()),
                string(item, "runToken"),
                instant(item, "leaseUntil"),
                notificationsOf(item.get(NOTIFICATIONS)));
    }

    private static List<Notification> notificationsOf(AttributeValue value) {
        if (value == null || !value.hasL()) {
            return List.of();
        }
        List<Object> json = new ArrayList<>(value.l().size());
        for (AttributeValue element : value.l()) {
            json.add(Json.parseObject(element.s()));
        }
        return TaskCodec.notificationsFromJson(json);
    }

    private static TaskError error(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return null;
        }
        return new TaskError(string(value.m(), "code"), string(value.m(), "message"));
    }

    private static TaskResult result(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return null;
        }
        Long size = number(value.m(), "size");
        return new TaskResult(string(value.m(), "contentType"), size == null ? 0 : size);
    }

    private static void putString(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static void putNumber(Map<String, AttributeValue> item, String name, Number value) {
        if (value != null) {
            item.put(name, AttributeValue.fromN(value.toString()));
        }
    }

    private static void putInstant(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value.toString()));
        }
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Long.valueOf(value.n());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        return value == null ? null : Instant.parse(value);
    }
}
