package dev.longhaul.aws.dynamodb;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Flow;
import dev.longhaul.core.task.Notification;
import dev.longhaul.core.task.Relatives;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskOptions;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A task as a DynamoDB item and back. Null fields are left out of the item. Parameters,
 * executions and the other JSON members are stored as JSON text, which keeps arbitrary JSON
 * (nulls, big numbers, nesting) exactly as given; {@code ttl} holds {@code expiresAt} in epoch
 * seconds for the table's TTL.
 *
 * <p>{@code group} puts a task in the {@code ByGroup} index: in its named queue's lane, or under
 * its parent. The store keeps a few attributes on a task's item that the task's own writes never
 * touch ({@link #SIDE_ATTRIBUTES}: its dependents, its children counts, its notifications), read
 * back as {@link Relatives}.
 *
 * <p>Every item with a {@code ttl} is in every index: DynamoDB Local never TTL-deletes an expired
 * item missing from one of the table's GSIs (and then stalls TTL for the table), so a finished task
 * outside any group is in its own one-item partition of {@code ByGroup} (its id), and in the
 * {@code finished} partition of {@code BySweepAt}. Both are never read, and spread writes (no hot
 * partition).
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
    public static final String GROUP = "group";
    public static final String HELD = "held";
    public static final String DEPENDENTS = "dependents";
    public static final String CHILDREN = "children";
    public static final String OPEN_CHILDREN = "openChildren";
    public static final String SPAWN_INDEX = "spawnIndex";
    /** What other tasks' writes keep on a task's item: a write of the task itself leaves them alone. */
    public static final Set<String> SIDE_ATTRIBUTES = Set.of(DEPENDENTS, CHILDREN, OPEN_CHILDREN, NOTIFICATIONS);
    /** Every attribute a write of the task sets or removes: all but its key and the side attributes. */
    public static final List<String> OWNED_ATTRIBUTES = List.of(OWNER, "type", STATUS, "progress", "description",
            "parameters", "createdAt", "updatedAt", "startedAt", "finishedAt", "expiresAt", "eta", "leaseUntil", TTL,
            "attempts", "executions", "error", "result", REVISION, "cancelRequested", "runToken", SWEEP_SHARD, SWEEP_AT,
            "name", "object", "queue", "parent", "dependsOn", "notBefore", "access", "schedule", SPAWN_INDEX,
            "admitted", HELD, "waiting", "pending", GROUP, SUBJECT);

    /**
     * The one place an owner or subject becomes part of a key or index attribute (the counter, the
     * lane, the grants, the schedules, the {@code ByOwner} partition): {@link OwnerKeys#key}, the
     * subject itself up to 255 UTF-8 bytes, else its hash (the full subject is kept in {@code subject}).
     */
    static String ownerKey(String owner) {
        return OwnerKeys.key(owner);
    }

    /** The {@code ByGroup} partition of an owner's named queue. */
    static String laneGroup(String owner, String queue) {
        return "q#" + ownerKey(owner) + "#" + queue;
    }

    /** The {@code ByGroup} partition of a parent's children. */
    static String childrenGroup(String parentId) {
        return "p#" + parentId;
    }

    /** The {@code ByGroup} partition of the grants to a subject. */
    static String grantsGroup(String subject) {
        return "w#" + ownerKey(subject);
    }

    /** The {@code ByGroup} partition of a schedule's tasks. */
    static String scheduleGroup(String scheduleId) {
        return "s#" + scheduleId;
    }

    /** The group a task is in, for {@code ByGroup}; its own id once finished outside any; null otherwise. */
    static String group(Task task) {
        if (task.options().queue() != null) {
            return laneGroup(task.owner(), task.options().queue());
        }
        if (task.options().parent() != null) {
            return childrenGroup(task.options().parent());
        }
        return task.expiresAt() != null ? task.id() : null;
    }

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
        TaskOptions options = task.options();
        putString(item, "name", options.name());
        putString(item, "object", options.object() == null ? null : Json.write(options.object()));
        putString(item, "queue", options.queue());
        putString(item, "parent", options.parent());
        putString(item, "dependsOn", options.dependsOn().isEmpty() ? null : Json.write(options.dependsOn()));
        putInstant(item, "notBefore", options.notBefore());
        putString(item, "access", options.access().isEmpty() ? null : Json.write(options.access()));
        putString(item, "schedule", options.schedule());
        putNumber(item, SPAWN_INDEX, options.spawnIndex());
        Flow flow = task.flow();
        item.put("admitted", AttributeValue.fromBool(flow.admitted()));
        item.put(HELD, AttributeValue.fromBool(flow.held()));
        item.put("waiting", AttributeValue.fromBool(flow.waiting()));
        putString(item, "pending", flow.pending().isEmpty() ? null : Json.write(flow.pending()));
        putString(item, GROUP, group(task));
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
                notificationsOf(item.get(NOTIFICATIONS)),
                options(item),
                flow(item, status),
                relatives(item));
    }

    private static TaskOptions options(Map<String, AttributeValue> item) {
        String object = string(item, "object");
        Long spawnIndex = number(item, SPAWN_INDEX);
        return new TaskOptions(string(item, "name"), object == null ? null : Json.parseObject(object),
                string(item, "queue"), string(item, "parent"), jsonStrings(item, "dependsOn"), instant(item, "notBefore"),
                jsonStrings(item, "access"), string(item, "schedule"), spawnIndex == null ? null : spawnIndex.intValue());
    }

    /** Null for an item written before flows existed: the task decides from its status. */
    private static Flow flow(Map<String, AttributeValue> item, TaskStatus status) {
        AttributeValue admitted = item.get("admitted");
        if (admitted == null || admitted.bool() == null) {
            return null;
        }
        return new Flow(admitted.bool(), bool(item, HELD), bool(item, "waiting"), jsonStrings(item, "pending"));
    }

    private static Relatives relatives(Map<String, AttributeValue> item) {
        AttributeValue dependents = item.get(DEPENDENTS);
        Long children = number(item, CHILDREN);
        Long open = number(item, OPEN_CHILDREN);
        return new Relatives(dependents == null || !dependents.hasSs() ? List.of() : dependents.ss(),
                children == null ? 0 : children.intValue(), open == null ? 0 : open.intValue());
    }

    @SuppressWarnings("unchecked")
    private static List<String> jsonStrings(Map<String, AttributeValue> item, String name) {
        String json = string(item, name);
        return json == null ? List.of() : TaskCodec.strings((List<Object>) Json.parse(json));
    }

    private static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
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
