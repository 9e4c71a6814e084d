package dev.longhaul.aws.dynamodb;

import dev.longhaul.core.port.WaitSlots;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Wait slots in the tasks table: one item per owner, {@code wait#<owner key>}, whose string set
 * {@code slots} holds one element per slot taken, {@code <lease expiry in epoch millis>:<random>}.
 * Taking a slot is one conditional {@code ADD} to the set (allowed while it holds fewer than the
 * cap), giving it back one {@code DELETE} from it: two writes per wait, no read. A full set comes
 * back with the failed write ({@code ALL_OLD}); only if it holds leases that expired (their holder
 * crashed) are those removed and the slot tried once more. The item has no {@code owner}, so the
 * {@code ByOwner} index never sees it, and its {@code ttl} lets DynamoDB delete it once idle.
 */
public final class DynamoDbWaitSlots implements WaitSlots {
    static final String PREFIX = "wait#";
    static final String SLOTS = "slots";
    /** How long an idle owner's item stays before TTL deletes it (DynamoDB's TTL is lazy anyway). */
    private static final Duration KEEP_IDLE = Duration.ofHours(1);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final int maxPerOwner;
    private final Duration lease;
    private final SecureRandom random = new SecureRandom();

    public DynamoDbWaitSlots(DynamoDbClient dynamoDb, String tableName, int maxPerOwner) {
        this(dynamoDb, tableName, maxPerOwner, LEASE);
    }

    public DynamoDbWaitSlots(DynamoDbClient dynamoDb, String tableName, int maxPerOwner, Duration lease) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        if (maxPerOwner < 1) {
            throw new IllegalArgumentException("a cap of at least one wait per owner; leave waits uncapped instead");
        }
        this.maxPerOwner = maxPerOwner;
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    @Override
    public Optional<Slot> tryAcquire(String owner, Instant now) {
        Instant expiresAt = now.plus(lease);
        byte[] nonce = new byte[9];
        random.nextBytes(nonce);
        Slot slot = new Slot(owner, expiresAt.toEpochMilli() + ":" + BASE64URL.encodeToString(nonce), expiresAt);
        List<String> full = add(slot);
        if (full == null) {
            return Optional.of(slot);
        }
        List<String> expired = new ArrayList<>();
        for (String held : full) {
            if (!expiry(held).isAfter(now)) {
                expired.add(held);
            }
        }
        if (expired.isEmpty()) {
            return Optional.empty();
        }
        remove(owner, expired);
        return add(slot) == null ? Optional.of(slot) : Optional.empty();
    }

    @Override
    public void release(Slot slot) {
        remove(slot.owner(), List.of(slot.id()));
    }

    /** The slots the owner's item holds, expired ones included (for tests and operators). */
    public List<String> held(String owner) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get
                .tableName(tableName).key(key(owner)).consistentRead(true)).item();
        AttributeValue slots = item == null ? null : item.get(SLOTS);
        return slots == null || !slots.hasSs() ? List.of() : List.copyOf(slots.ss());
    }

    /** Adds the slot if the set has room: null when it did, else what the full set holds. */
    private List<String> add(Slot slot) {
        try {
            dynamoDb.updateItem(update -> update
                    .tableName(tableName)
                    .key(key(slot.owner()))
                    .updateExpression("ADD #slots :slot SET #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#slots) OR size(#slots) < :max")
                    .expressionAttributeNames(Map.of("#slots", SLOTS, "#ttl", TaskItemMapper.TTL))
                    .expressionAttributeValues(Map.of(
                            ":slot", AttributeValue.fromSs(List.of(slot.id())),
                            ":max", AttributeValue.fromN(Integer.toString(maxPerOwner)),
                            ":ttl", AttributeValue.fromN(Long.toString(
                                    slot.expiresAt().plus(KEEP_IDLE).getEpochSecond()))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return null;
        } catch (ConditionalCheckFailedException e) {
            AttributeValue slots = e.hasItem() ? e.item().get(SLOTS) : null;
            return slots == null || !slots.hasSs() ? List.of() : slots.ss();
        }
    }

    /** Takes the slots out of the set; slots no longer in it are ignored, and no item is created. */
    private void remove(String owner, List<String> slots) {
        try {
            dynamoDb.updateItem(update -> update
                    .tableName(tableName)
                    .key(key(owner))
                    .updateExpression("DELETE #slots :slots")
                    .conditionExpression("attribute_exists(#slots)")
                    .expressionAttributeNames(Map.of("#slots", SLOTS))
                    .expressionAttributeValues(Map.of(":slots", AttributeValue.fromSs(slots))));
        } catch (ConditionalCheckFailedException nothingHeld) {
            // every slot was already given back or reclaimed
        }
    }

    /** The lease expiry an element carries; one that cannot be read counts as expired. */
    private static Instant expiry(String held) {
        int colon = held.indexOf(':');
        try {
            return Instant.ofEpochMilli(Long.parseLong(colon < 0 ? held : held.substring(0, colon)));
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }

    private static Map<String, AttributeValue> key(String owner) {
        return Map.of(TaskItemMapper.ID, AttributeValue.fromS(PREFIX + OwnerKeys.key(owner)));
    }
}
