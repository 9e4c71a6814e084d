package dev.longhaul.aws.dynamodb;

import dev.longhaul.aws.kms.KmsEnvelope;
import dev.longhaul.core.port.SecretKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Deployment keys kept in the tasks table, encrypted with KMS ({@link KmsEnvelope}): never in
 * plaintext in an item, a stream record or a backup. Each version of a key is an item
 * {@code key#<name>#<id>} holding it sealed; {@code key#<name>} names the current version and
 * since when. The first instance that needs a key makes it (conditional writes, so racing
 * instances agree on one); a key older than {@link #ROTATE_AFTER} is replaced by a new version on
 * the next read, and each version stays readable until its {@code ttl}, twice that age, so what it
 * signed keeps verifying for a while after. Nothing to configure, and no key in the template or
 * the environment.
 */
public final class DynamoDbSecretKeys implements SecretKeys {
    /** How long a version is the current one. */
    public static final Duration ROTATE_AFTER = Duration.ofDays(30);
    private static final String PREFIX = "key#";
    private static final String CURRENT = "current";
    private static final String SINCE = "since";
    private static final String SEALED = "sealed";
    /** The plaintext key of an earlier release: removed when the first sealed version is made. */
    private static final String LEGACY_PLAINTEXT = "secret";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final KmsEnvelope envelope;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public DynamoDbSecretKeys(DynamoDbClient dynamoDb, String tableName, KmsEnvelope envelope) {
        this(dynamoDb, tableName, envelope, Clock.systemUTC());
    }

    public DynamoDbSecretKeys(DynamoDbClient dynamoDb, String tableName, KmsEnvelope envelope, Clock clock) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.envelope = Objects.requireNonNull(envelope, "envelope");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Key current(String name) {
        Map<String, AttributeValue> pointer = read(PREFIX + name);
        String id = string(pointer, CURRENT);
        if (id != null && !stale(pointer)) {
            Optional<byte[]> bytes = find(name, id);
            if (bytes.isPresent()) {
                return new Key(id, bytes.get());
            }
        }
        return replace(name, id);
    }

    @Override
    public Optional<byte[]> find(String name, String id) {
        if (!SecretKeys.isWellFormedId(id)) {
            return Optional.empty();
        }
        String versionId = versionId(name, id);
        Map<String, AttributeValue> version = read(versionId);
        if (version == null || !version.containsKey(SEALED) || expired(version)) {
            return Optional.empty();
        }
        return Optional.of(envelope.open(SealedSecretAttribute.from(version.get(SEALED)), versionId));
    }

    /** Makes a new version current now, whatever the age of the current one (for operators and tests). */
    public Key rotate(String name) {
        return replace(name, string(read(PREFIX + name), CURRENT));
    }

    /**
     * Stores a new version and makes it current, unless another instance replaced {@code expected}
     * first: then theirs is the current key, and the version made here is deleted.
     */
    private Key replace(String name, String expected) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        byte[] idBytes = new byte[9];
        random.nextBytes(idBytes);
        String id = BASE64URL.encodeToString(idBytes);
        String versionId = versionId(name, id);
        Instant now = clock.instant();
        Map<String, AttributeValue> version = new HashMap<>();
        version.put(TaskItemMapper.ID, AttributeValue.fromS(versionId));
        version.put(SEALED, SealedSecretAttribute.of(envelope.seal(bytes, versionId)));
        version.put("createdAt", AttributeValue.fromS(now.toString()));
        // readable twice as long as it is current, then DynamoDB deletes it
        version.put(TaskItemMapper.TTL, AttributeValue.fromN(Long.toString(
                now.plus(ROTATE_AFTER.multipliedBy(2)).getEpochSecond())));
        dynamoDb.putItem(put -> put.tableName(tableName).item(version)
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID)));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":id", AttributeValue.fromS(id));
        values.put(":since", AttributeValue.fromN(Long.toString(now.getEpochSecond())));
        if (expected != null) {
            values.put(":expected", AttributeValue.fromS(expected));
        }
        try {
            dynamoDb.updateItem(update -> update
                    .tableName(tableName)
                    .key(key(PREFIX + name))
                    .updateExpression("SET #current = :id, #since = :since REMOVE #legacy")
                    .conditionExpression(expected == null ? "attribute_not_exists(#current)" : "#current = :expected")
                    .expressionAttributeNames(Map.of("#current", CURRENT, "#since", SINCE, "#legacy", LEGACY_PLAINTEXT))
                    .expressionAttributeValues(values));
            return new Key(id, bytes);
        } catch (ConditionalCheckFailedException lostRace) {
            dynamoDb.deleteItem(delete -> delete.tableName(tableName).key(key(versionId)));
            String winner = string(read(PREFIX + name), CURRENT);
            return new Key(winner, find(name, winner).orElseThrow(
                    () -> new IllegalStateException("the current version of key " + name + " is gone")));
        }
    }

    /** Past its {@code ttl}: DynamoDB deletes such an item within days, not at once, so it is refused here. */
    private boolean expired(Map<String, AttributeValue> version) {
        AttributeValue ttl = version.get(TaskItemMapper.TTL);
        return ttl != null && ttl.n() != null && Long.parseLong(ttl.n()) <= clock.instant().getEpochSecond();
    }

    private boolean stale(Map<String, AttributeValue> pointer) {
        AttributeValue since = pointer.get(SINCE);
        return since == null || since.n() == null
                || !Instant.ofEpochSecond(Long.parseLong(since.n())).plus(ROTATE_AFTER).isAfter(clock.instant());
    }

    private Map<String, AttributeValue> read(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(tableName).key(key(id))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null ? null : value.s();
    }

    private static String versionId(String name, String id) {
        return PREFIX + name + "#" + id;
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(TaskItemMapper.ID, AttributeValue.fromS(id));
    }
}
