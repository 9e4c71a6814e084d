package dev.longhaul.aws.webhook;

import dev.longhaul.aws.dynamodb.Attr;
import dev.longhaul.aws.dynamodb.DynamoDb;
import dev.longhaul.aws.dynamodb.DynamoDb.Request;
import dev.longhaul.aws.dynamodb.DynamoDb.TransactItem;
import dev.longhaul.aws.dynamodb.TaskItemMapper;
import dev.longhaul.aws.dynamodb.TransactionCanceledException;
import dev.longhaul.core.webhook.Subscription;
import dev.longhaul.core.webhook.SubscriptionLimitException;
import dev.longhaul.core.webhook.SubscriptionStore;
import dev.longhaul.core.webhook.WebhookEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Subscriptions as items of the tasks table, next to the tasks:
 * <ul>
 * <li>{@code hook#<owner>#<id>}: one subscription (url, events, secret);</li>
 * <li>{@code sub#<owner>}: the string set of the owner's subscription ids, so listing is one
 * read plus one batch read, never a scan, and its size enforces the per-owner limit in the same
 * transaction as the write;</li>
 * <li>{@code callback#<taskId>}: a task's one-off callback, expiring through the table's TTL.</li>
 * </ul>
 * None has an {@code owner} attribute (the owner is in {@code hookOwner}), so the {@code ByOwner}
 * index, and with it the task listing, never sees them; none has a task-shaped id, so the
 * notifier ignores their stream records.
 */
public final class DynamoDbSubscriptionStore implements SubscriptionStore {
    static final String HOOK_PREFIX = "hook#";
    static final String INDEX_PREFIX = "sub#";
    static final String CALLBACK_PREFIX = "callback#";
    static final String HOOK_OWNER = "hookOwner";
    static final String IDS = "ids";

    private final DynamoDb dynamoDb;
    private final String tableName;

    public DynamoDbSubscriptionStore(DynamoDb dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public void add(Subscription subscription, int maxPerOwner) {
        List<TransactItem> writes = List.of(
                TransactItem.put(Request.table(tableName)
                        .item(toItem(hookId(subscription.owner(), subscription.id()), subscription))
                        .condition("attribute_not_exists(#id)")
                        .names(Map.of("#id", TaskItemMapper.ID))),
                TransactItem.update(Request.table(tableName)
                        .key(key(INDEX_PREFIX + subscription.owner()))
                        .update("ADD #ids :id")
                        .condition("attribute_not_exists(#ids) OR size(#ids) < :max")
                        .names(Map.of("#ids", IDS))
                        .values(Map.of(
                                ":id", Attr.fromSs(List.of(subscription.id())),
                                ":max", Attr.fromN(maxPerOwner)))));
        try {
            dynamoDb.transactWriteItems(writes);
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().size() > 1
                    && "ConditionalCheckFailed".equals(e.cancellationReasons().get(1).code())) {
                throw new SubscriptionLimitException(maxPerOwner);
            }
            throw e;
        }
    }

    @Override
    public List<Subscription> list(String owner) {
        Map<String, Attr> index = dynamoDb.getItem(Request.table(tableName)
                .key(key(INDEX_PREFIX + owner)).consistentRead());
        Attr ids = index == null ? null : index.get(IDS);
        if (ids == null || ids.ss() == null || ids.ss().isEmpty()) {
            return List.of();
        }
        List<Map<String, Attr>> keys = new ArrayList<>();
        for (String id : ids.ss()) {
            keys.add(key(hookId(owner, id)));
        }
        List<Subscription> found = new ArrayList<>();
        for (Map<String, Attr> item : dynamoDb.batchGetItem(tableName, keys, true)) {
            Subscription s = fromItem(item);
            if (s.owner().equals(owner)) {
                found.add(s);
            }
        }
        found.sort(Comparator.comparing(Subscription::createdAt).thenComparing(Subscription::id));
        return found;
    }

    @Override
    public Optional<Subscription> find(String owner, String id) {
        return read(hookId(owner, id)).filter(s -> s.owner().equals(owner) && s.id().equals(id));
    }

    @Override
    public boolean remove(String owner, String id) {
        List<TransactItem> writes = List.of(
                TransactItem.delete(Request.table(tableName)
                        .key(key(hookId(owner, id)))
                        .condition("#owner = :owner")
                        .names(Map.of("#owner", HOOK_OWNER))
                        .values(Map.of(":owner", Attr.fromS(owner)))),
                TransactItem.update(Request.table(tableName)
                        .key(key(INDEX_PREFIX + owner))
                        .update("DELETE #ids :id")
                        .names(Map.of("#ids", IDS))
                        .values(Map.of(":id", Attr.fromSs(List.of(id))))));
        try {
            dynamoDb.transactWriteItems(writes);
            return true;
        } catch (TransactionCanceledException e) {
            if (!e.cancellationReasons().isEmpty()
                    && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void addCallback(Subscription callback, Instant keepUntil) {
        Map<String, Attr> item = toItem(CALLBACK_PREFIX + callback.taskId(), callback);
        item.put("taskId", Attr.fromS(callback.taskId()));
        item.put(TaskItemMapper.TTL, Attr.fromN(keepUntil.getEpochSecond()));
        dynamoDb.putItem(Request.table(tableName).item(item));
    }

    @Override
    public Optional<Subscription> findCallback(String taskId) {
        return read(CALLBACK_PREFIX + taskId).filter(s -> taskId.equals(s.taskId()));
    }

    @Override
    public void removeCallback(String taskId) {
        dynamoDb.deleteItem(Request.table(tableName).key(key(CALLBACK_PREFIX + taskId)));
    }

    private Optional<Subscription> read(String itemId) {
        Map<String, Attr> item = dynamoDb.getItem(Request.table(tableName).key(key(itemId)).consistentRead());
        return item == null ? Optional.empty() : Optional.of(fromItem(item));
    }

    static String hookId(String owner, String id) {
        return HOOK_PREFIX + owner + "#" + id;
    }

    private static Map<String, Attr> toItem(String itemId, Subscription s) {
        Map<String, Attr> item = new HashMap<>();
        item.put(TaskItemMapper.ID, Attr.fromS(itemId));
        item.put("subscriptionId", Attr.fromS(s.id()));
        item.put(HOOK_OWNER, Attr.fromS(s.owner()));
        item.put("url", Attr.fromS(s.url()));
        item.put("events", Attr.fromSs(s.eventNames()));
        item.put("secret", Attr.fromS(s.secret()));
        item.put("createdAt", Attr.fromS(s.createdAt().toString()));
        return item;
    }

    private static Subscription fromItem(Map<String, Attr> item) {
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        Attr names = item.get("events");
        if (names != null && names.hasSs()) {
            for (String name : names.ss()) {
                WebhookEvent event = WebhookEvent.fromWire(name);
                if (event != null) {
                    events.add(event);
                }
            }
        }
        Attr taskId = item.get("taskId");
        return new Subscription(item.get("subscriptionId").s(), item.get(HOOK_OWNER).s(), item.get("url").s(), events,
                item.get("secret").s(), Instant.parse(item.get("createdAt").s()), taskId == null ? null : taskId.s());
    }

    private static Map<String, Attr> key(String id) {
        return Map.of(TaskItemMapper.ID, Attr.fromS(id));
    }
}
