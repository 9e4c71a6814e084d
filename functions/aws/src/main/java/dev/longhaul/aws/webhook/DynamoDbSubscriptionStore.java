package dev.longhaul.aws.webhook;

import dev.longhaul.aws.dynamodb.BatchReads;
import dev.longhaul.aws.dynamodb.OwnerIdSets;
import dev.longhaul.aws.dynamodb.OwnerKeys;
import dev.longhaul.aws.dynamodb.SealedSecretAttribute;
import dev.longhaul.aws.dynamodb.TaskItemMapper;
import dev.longhaul.aws.kms.KmsEnvelope;
import dev.longhaul.core.webhook.Subscription;
import dev.longhaul.core.webhook.SubscriptionLimitException;
import dev.longhaul.core.webhook.SubscriptionStore;
import dev.longhaul.core.webhook.WebhookEvent;
import java.nio.charset.StandardCharsets;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Subscriptions as items of the tasks table, next to the tasks:
 * <ul>
 * <li>{@code hook#<owner key>#<id>}: one subscription (url, events, secret);</li>
 * <li>{@code sub#<owner key>}: the string set of the owner's subscription ids, so listing is one
 * read plus one batch read, never a scan, and its size enforces the per-owner limit in the same
 * transaction as the write;</li>
 * <li>{@code callback#<taskId>}: a task's one-off callback, expiring through the table's TTL.</li>
 * </ul>
 * Owners are in keys as {@link OwnerKeys} makes them, and in full in {@code hookOwner}. None has
 * an {@code owner} attribute, so the {@code ByOwner} index, and with it the task listing, never
 * sees them; none has a task-shaped id, so the notifier ignores their stream records.
 *
 * <p>Signing secrets are stored encrypted ({@link KmsEnvelope}, bound to their item): no item,
 * stream record or backup holds one in plaintext. Listings never decrypt them; a store built
 * without an envelope (the notifier's, which has no KMS grant) reads subscriptions without them.
 */
public final class DynamoDbSubscriptionStore implements SubscriptionStore {
    static final String HOOK_PREFIX = "hook#";
    static final String INDEX_PREFIX = "sub#";
    static final String CALLBACK_PREFIX = "callback#";
    static final String HOOK_OWNER = "hookOwner";
    static final String IDS = OwnerIdSets.IDS;
    static final String SEALED_SECRET = "sealedSecret";
    /** Where an earlier release kept the secret, in plaintext. */
    static final String LEGACY_PLAINTEXT_SECRET = "secret";

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final KmsEnvelope envelope;

    /** @param envelope seals and opens the secrets; null for a store that only reads who is subscribed */
    public DynamoDbSubscriptionStore(DynamoDbClient dynamoDb, String tableName, KmsEnvelope envelope) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.envelope = envelope;
    }

    @Override
    public void add(Subscription subscription, int maxPerOwner) {
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().put(put -> put
                        .tableName(tableName)
                        .item(toItem(hookId(subscription.owner(), subscription.id()), subscription))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID))).build(),
                OwnerIdSets.add(tableName, key(indexId(subscription.owner())), subscription.id(), maxPerOwner));
        try {
            dynamoDb.transactWriteItems(t -> t.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (OwnerIdSets.failedAt(e, 1)) {
                throw new SubscriptionLimitException(maxPerOwner);
            }
            throw e;
        }
    }

    @Override
    public List<Subscription> list(String owner) {
        GetItemResponse index = dynamoDb.getItem(get -> get
                .tableName(tableName).key(key(indexId(owner))).consistentRead(true));
        AttributeValue ids = index.hasItem() ? index.item().get(IDS) : null;
        if (ids == null || !ids.hasSs() || ids.ss().isEmpty()) {
            return List.of();
        }
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : ids.ss()) {
            keys.add(key(hookId(owner, id)));
        }
        List<Subscription> found = new ArrayList<>();
        for (Map<String, AttributeValue> item : BatchReads.items(dynamoDb, tableName, keys)) {
            Subscription s = fromItem(item, false);
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
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().delete(delete -> delete
                        .tableName(tableName)
                        .key(key(hookId(owner, id)))
                        .conditionExpression("#owner = :owner")
                        .expressionAttributeNames(Map.of("#owner", HOOK_OWNER))
                        .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner)))).build(),
                OwnerIdSets.remove(tableName, key(indexId(owner)), id));
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

    @Override
    public void addCallback(Subscription callback, Instant keepUntil) {
        Map<String, AttributeValue> item = toItem(CALLBACK_PREFIX + callback.taskId(), callback);
        item.put("taskId", AttributeValue.fromS(callback.taskId()));
        item.put(TaskItemMapper.TTL, AttributeValue.fromN(Long.toString(keepUntil.getEpochSecond())));
        dynamoDb.putItem(put -> put.tableName(tableName).item(item));
    }

    @Override
    public Optional<Subscription> findCallback(String taskId) {
        return read(CALLBACK_PREFIX + taskId).filter(s -> taskId.equals(s.taskId()));
    }

    @Override
    public void removeCallback(String taskId) {
        dynamoDb.deleteItem(delete -> delete.tableName(tableName).key(key(CALLBACK_PREFIX + taskId)));
    }

    private Optional<Subscription> read(String itemId) {
        GetItemResponse response = dynamoDb.getItem(get -> get
                .tableName(tableName).key(key(itemId)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(fromItem(response.item(), envelope != null));
    }

    static String hookId(String owner, String id) {
        return HOOK_PREFIX + OwnerKeys.key(owner) + "#" + id;
    }

    static String indexId(String owner) {
        return INDEX_PREFIX + OwnerKeys.key(owner);
    }

    private Map<String, AttributeValue> toItem(String itemId, Subscription s) {
        if (envelope == null) {
            throw new IllegalStateException("this store reads subscriptions only: it cannot seal a secret");
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TaskItemMapper.ID, AttributeValue.fromS(itemId));
        item.put("subscriptionId", AttributeValue.fromS(s.id()));
        item.put(HOOK_OWNER, AttributeValue.fromS(s.owner()));
        item.put("url", AttributeValue.fromS(s.url()));
        item.put("events", AttributeValue.fromSs(s.eventNames()));
        item.put(SEALED_SECRET, SealedSecretAttribute.of(
                envelope.seal(s.secret().getBytes(StandardCharsets.UTF_8), itemId)));
        item.put("createdAt", AttributeValue.fromS(s.createdAt().toString()));
        return item;
    }

    private Subscription fromItem(Map<String, AttributeValue> item, boolean withSecret) {
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        AttributeValue names = item.get("events");
        if (names != null && names.hasSs()) {
            for (String name : names.ss()) {
                WebhookEvent event = WebhookEvent.fromWire(name);
                if (event != null) {
                    events.add(event);
                }
            }
        }
        AttributeValue taskId = item.get("taskId");
        String secret = withSecret ? secret(item) : null;
        return new Subscription(item.get("subscriptionId").s(), item.get(HOOK_OWNER).s(), item.get("url").s(), events,
                secret, Instant.parse(item.get("createdAt").s()), taskId == null ? null : taskId.s());
    }

    /**
     * The item's secret, opened. A subscription stored by an earlier release holds it in plaintext
     * ({@code secret}): it is still read, so its deliveries go on being signed, until the owner
     * replaces the subscription (README, Security).
     */
    private String secret(Map<String, AttributeValue> item) {
        AttributeValue legacy = item.get(LEGACY_PLAINTEXT_SECRET);
        if (!item.containsKey(SEALED_SECRET) && legacy != null && legacy.s() != null) {
            return legacy.s();
        }
        return new String(envelope.open(SealedSecretAttribute.from(item.get(SEALED_SECRET)),
                item.get(TaskItemMapper.ID).s()), StandardCharsets.UTF_8);
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(TaskItemMapper.ID, AttributeValue.fromS(id));
    }
}
