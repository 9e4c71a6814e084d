package dev.longhaul.aws.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.dynamodb.DynamoDbSecretKeys;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.aws.webhook.DynamoDbSubscriptionStore;
import dev.longhaul.core.port.SecretKeys;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.webhook.Subscription;
import dev.longhaul.core.webhook.WebhookEvent;
import dev.longhaul.core.webhook.WebhookSecret;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Issue 14, item 2: the secrets the tasks table keeps (webhook signing secrets, a task callback's
 * secret, the page-token HMAC key) are in no item and no stream image in plaintext, in any
 * spelling: only sealed under a KMS data key, and they still read back where they are used.
 */
class SecretsAtRestTest {
    private final TestCloud cloud = TestCloud.get();
    private final DynamoDbSubscriptionStore subscriptions =
            new DynamoDbSubscriptionStore(cloud.clients().dynamoDb(), cloud.tableName(), cloud.envelope());
    private final DynamoDbSecretKeys keys =
            new DynamoDbSecretKeys(cloud.clients().dynamoDb(), cloud.tableName(), cloud.envelope());
    private final Instant now = Instant.now();

    @BeforeEach
    void reset() {
        cloud.reset();
    }

    private Subscription hook(String owner) {
        return new Subscription(TaskIds.create().newId(), owner, "https://hooks.example.com/x",
                EnumSet.allOf(WebhookEvent.class), WebhookSecret.generate(), now, null);
    }

    @Test
    void noItemAndNoStreamImageHoldsASecretInPlaintext() {
        Subscription hook = hook("user-alice");
        subscriptions.add(hook, 25);
        String taskId = TaskIds.create().newId();
        Subscription callback = new Subscription("callback", "user-alice", "https://hooks.example.com/cb",
                EnumSet.allOf(WebhookEvent.class), WebhookSecret.generate(), now, taskId);
        subscriptions.addCallback(callback, now.plus(Duration.ofDays(1)));
        SecretKeys.Key pageKey = keys.current("page-token");

        List<byte[]> plaintexts = new ArrayList<>();
        for (Subscription s : List.of(hook, callback)) {
            plaintexts.addAll(spellings(WebhookSecret.key(s.secret())));
        }
        plaintexts.addAll(spellings(pageKey.bytes()));

        Set<String> ids = new HashSet<>();
        for (Map<String, AttributeValue> item : cloud.clients().dynamoDb()
                .scan(scan -> scan.tableName(cloud.tableName()).consistentRead(true)).items()) {
            ids.add(item.get("id").s());
            assertNoPlaintext(item, plaintexts, "item " + item.get("id").s());
        }
        assertTrue(ids.size() >= 5, "hook, its owner's index, the callback, the key and its version: " + ids);
        List<Record> records = cloud.streamRecords(ids);
        assertFalse(records.isEmpty(), "the stream saw the writes");
        for (Record record : records) {
            if (record.dynamodb().hasNewImage()) {
                assertNoPlaintext(record.dynamodb().newImage(), plaintexts, "stream record " + record.eventID());
            }
            if (record.dynamodb().hasOldImage()) {
                assertNoPlaintext(record.dynamodb().oldImage(), plaintexts, "stream record " + record.eventID());
            }
        }

        // and each reads back where it is used
        assertEquals(hook.secret(), subscriptions.find("user-alice", hook.id()).orElseThrow().secret());
        assertEquals(callback.secret(), subscriptions.findCallback(taskId).orElseThrow().secret());
        DynamoDbSecretKeys otherInstance =
                new DynamoDbSecretKeys(cloud.clients().dynamoDb(), cloud.tableName(), cloud.envelope());
        assertEquals(pageKey.id(), otherInstance.current("page-token").id());
        assertEquals(HexFormat.of().formatHex(pageKey.bytes()),
                HexFormat.of().formatHex(otherInstance.find("page-token", pageKey.id()).orElseThrow()));
    }

    @Test
    void listingsAndStoresWithoutKmsReadSubscriptionsWithoutTheirSecrets() {
        Subscription hook = hook("user-bob");
        subscriptions.add(hook, 25);
        assertNull(subscriptions.list("user-bob").get(0).secret(), "a listing never decrypts");
        DynamoDbSubscriptionStore notifiers = new DynamoDbSubscriptionStore(cloud.clients().dynamoDb(),
                cloud.tableName(), null);
        assertEquals(hook.id(), notifiers.list("user-bob").get(0).id());
        assertNull(notifiers.find("user-bob", hook.id()).orElseThrow().secret());
        assertThrows(IllegalStateException.class, () -> notifiers.add(hook("user-bob"), 25), "it cannot seal");
    }

    @Test
    void aSealedSecretMovedToAnotherItemDoesNotOpen() {
        Subscription mine = hook("user-carol");
        Subscription theirs = hook("user-dave");
        subscriptions.add(mine, 25);
        subscriptions.add(theirs, 25);
        Map<String, AttributeValue> mineItem = item("hook#user-carol#" + mine.id());
        Map<String, AttributeValue> theirItem = new HashMap<>(item("hook#user-dave#" + theirs.id()));
        theirItem.put("sealedSecret", mineItem.get("sealedSecret"));
        cloud.clients().dynamoDb().putItem(put -> put.tableName(cloud.tableName()).item(theirItem));

        assertThrows(SecretUnreadableException.class, () -> subscriptions.find("user-dave", theirs.id()));
        assertEquals(mine.secret(), subscriptions.find("user-carol", mine.id()).orElseThrow().secret());
    }

    @Test
    void aSubscriptionAnEarlierReleaseStoredInPlaintextStillSigns() {
        Subscription old = hook("user-erin");
        subscriptions.add(old, 25);
        Map<String, AttributeValue> legacy = new HashMap<>(item("hook#user-erin#" + old.id()));
        legacy.remove("sealedSecret");
        legacy.put("secret", AttributeValue.fromS(old.secret()));
        cloud.clients().dynamoDb().putItem(put -> put.tableName(cloud.tableName()).item(legacy));
        assertEquals(old.secret(), subscriptions.find("user-erin", old.id()).orElseThrow().secret());
    }

    private Map<String, AttributeValue> item(String id) {
        return cloud.clients().dynamoDb().getItem(get -> get.tableName(cloud.tableName())
                .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
    }

    /** The key's bytes, and the text forms a careless store would write: base64, base64url, hex, whsec_. */
    private static List<byte[]> spellings(byte[] key) {
        String base64 = Base64.getEncoder().encodeToString(key);
        return List.of(key, base64.getBytes(StandardCharsets.US_ASCII),
                Base64.getUrlEncoder().withoutPadding().encodeToString(key).getBytes(StandardCharsets.US_ASCII),
                HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII),
                (WebhookSecret.PREFIX + base64).getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertNoPlaintext(Map<String, AttributeValue> image, List<byte[]> plaintexts, String where) {
        byte[] bytes = bytes(AttributeValue.fromM(image));
        for (byte[] plaintext : plaintexts) {
            assertFalse(contains(bytes, plaintext), where + " holds a secret in plaintext");
        }
    }

    /** Every string, number and binary value of an attribute, concatenated. */
    private static byte[] bytes(AttributeValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        collect(value, out);
        return out.toByteArray();
    }

    private static void collect(AttributeValue value, ByteArrayOutputStream out) {
        switch (value.type()) {
            case S -> out.writeBytes(value.s().getBytes(StandardCharsets.UTF_8));
            case N -> out.writeBytes(value.n().getBytes(StandardCharsets.UTF_8));
            case B -> out.writeBytes(value.b().asByteArray());
            case SS -> value.ss().forEach(s -> out.writeBytes(s.getBytes(StandardCharsets.UTF_8)));
            case BS -> value.bs().forEach(b -> out.writeBytes(b.asByteArray()));
            case L -> value.l().forEach(v -> collect(v, out));
            case M -> value.m().forEach((k, v) -> {
                out.writeBytes(k.getBytes(StandardCharsets.UTF_8));
                collect(v, out);
            });
            default -> { }
        }
        out.write(0);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
