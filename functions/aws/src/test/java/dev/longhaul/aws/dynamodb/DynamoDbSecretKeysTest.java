package dev.longhaul.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.kms.KmsEnvelope;
import dev.longhaul.aws.testing.AwsCallCounter;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.aws.webhook.DynamoDbSubscriptionStore;
import dev.longhaul.core.port.SecretKeys;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.usecase.PageTokens;
import dev.longhaul.core.webhook.Subscription;
import dev.longhaul.core.webhook.WebhookEvent;
import dev.longhaul.core.webhook.WebhookSecret;
import dev.longhaul.aws.AwsClients;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The deployment's keys and the secrets sealed with KMS, on DynamoDB Local and the local KMS:
 * made once by racing instances, rotated (the page-token key every 30 days, the KMS key yearly or
 * replaced by another) without breaking what the earlier keys signed or sealed, and read with one
 * KMS call per instance, not per request.
 */
class DynamoDbSecretKeysTest {
    private static final String NAME = "page-token";
    private static final String OWNER = "user-alice";
    private static final String FILTERS = "|||";
    private final TestCloud cloud = TestCloud.get();

    @BeforeEach
    void reset() {
        cloud.reset();
    }

    /** One API instance: its own envelope, so nothing is cached from another. */
    private DynamoDbSecretKeys instance(Clock clock) {
        return new DynamoDbSecretKeys(cloud.clients().dynamoDb(), cloud.tableName(), cloud.envelope(), clock);
    }

    private DynamoDbSecretKeys instance() {
        return instance(Clock.systemUTC());
    }

    @Test
    void racingInstancesAgreeOnOneKey() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<SecretKeys.Key>> made = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                DynamoDbSecretKeys keys = instance();
                Callable<SecretKeys.Key> first = () -> {
                    start.await();
                    return keys.current(NAME);
                };
                made.add(threads.submit(first));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            byte[] bytes = null;
            for (Future<SecretKeys.Key> key : made) {
                ids.add(key.get().id());
                if (bytes != null) {
                    assertArrayEquals(bytes, key.get().bytes());
                }
                bytes = key.get().bytes();
            }
            assertEquals(1, ids.size(), ids.toString());
            assertEquals(2, cloud.itemCount(), "the pointer and one version; the losers' versions deleted");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void afterThirtyDaysANewKeySignsAndTokensOfTheOldOneStillVerify() {
        PageTokens before = new PageTokens(instance());
        String oldToken = before.sign(OWNER, FILTERS, "06h3fmsvj3wbaypy3t26dwyqpmp53hwz5a9g");
        String oldId = oldToken.substring(0, oldToken.indexOf('.'));

        Clock later = Clock.offset(Clock.systemUTC(), DynamoDbSecretKeys.ROTATE_AFTER.plusDays(1));
        DynamoDbSecretKeys rotated = instance(later);
        PageTokens after = new PageTokens(rotated);
        String newToken = after.sign(OWNER, FILTERS, "06h3fmsvj3wbaypy3t26dwyqpmp53hwz5a9g");
        String newId = newToken.substring(0, newToken.indexOf('.'));

        assertNotEquals(oldId, newId, "a new version after " + DynamoDbSecretKeys.ROTATE_AFTER);
        assertEquals("06h3fmsvj3wbaypy3t26dwyqpmp53hwz5a9g", after.verify(OWNER, FILTERS, oldToken));
        assertEquals("06h3fmsvj3wbaypy3t26dwyqpmp53hwz5a9g", before.verify(OWNER, FILTERS, newToken));
        assertEquals(newId, instance(later).current(NAME).id(), "and it stays current");
        // each version is kept twice as long as it is current, then TTL deletes it
        long ttl = Long.parseLong(item("key#" + NAME + "#" + oldId).get("ttl").n());
        assertTrue(Instant.ofEpochSecond(ttl).isAfter(Instant.now().plus(DynamoDbSecretKeys.ROTATE_AFTER.multipliedBy(2))
                .minus(Duration.ofMinutes(5))), "ttl " + Instant.ofEpochSecond(ttl));
    }

    @Test
    void anOperatorsRotationKeepsOldTokensVerifying() {
        DynamoDbSecretKeys keys = instance();
        String oldToken = new PageTokens(keys).sign(OWNER, FILTERS, "a");
        SecretKeys.Key fresh = keys.rotate(NAME);
        assertEquals(fresh.id(), instance().current(NAME).id());
        PageTokens next = new PageTokens(instance());
        assertTrue(next.sign(OWNER, FILTERS, "a").startsWith(fresh.id() + "."));
        assertEquals("a", next.verify(OWNER, FILTERS, oldToken));
    }

    @Test
    void whatWasSealedBeforeTheKmsKeyRotatedStillOpens() {
        DynamoDbSubscriptionStore store = subscriptions(cloud.envelope());
        Subscription hook = hook();
        store.add(hook, 25);
        String token = new PageTokens(instance()).sign(OWNER, FILTERS, "a");

        cloud.clients().kms().rotateKeyOnDemand(b -> b.keyId(cloud.secretsKeyArn()));

        // new instances: nothing decrypted is cached
        assertEquals(hook.secret(), subscriptions(cloud.envelope()).find(OWNER, hook.id()).orElseThrow().secret());
        assertEquals("a", new PageTokens(instance()).verify(OWNER, FILTERS, token));
        Subscription later = hook();
        subscriptions(cloud.envelope()).add(later, 25);
        assertEquals(later.secret(), subscriptions(cloud.envelope()).find(OWNER, later.id()).orElseThrow().secret());
    }

    @Test
    void whatTheFormerKmsKeySealedStillOpensOnceAnotherKeyReplacesIt() {
        DynamoDbSubscriptionStore store = subscriptions(cloud.envelope());
        Subscription hook = hook();
        store.add(hook, 25);
        String token = new PageTokens(instance()).sign(OWNER, FILTERS, "a");

        String replacement = cloud.clients().kms().createKey(b -> b.description("the next secrets key"))
                .keyMetadata().arn();
        KmsEnvelope next = new KmsEnvelope(cloud.clients()::kms, replacement, cloud.tableName());
        // each sealed secret names the key that sealed it
        assertEquals(hook.secret(), subscriptions(next).find(OWNER, hook.id()).orElseThrow().secret());
        DynamoDbSecretKeys keys = new DynamoDbSecretKeys(cloud.clients().dynamoDb(), cloud.tableName(), next);
        assertEquals("a", new PageTokens(keys).verify(OWNER, FILTERS, token));
        Subscription later = hook();
        subscriptions(next).add(later, 25);
        Map<String, AttributeValue> sealed = item("hook#" + OWNER + "#" + later.id()).get("sealedSecret").m();
        assertEquals(replacement, sealed.get("keyArn").s());
    }

    @Test
    void aNewInstanceCallsKmsOnceNotOncePerSecret() {
        AwsCallCounter calls = new AwsCallCounter();
        try (AwsClients counted = AwsClients.fromEnvironment(cloud.environment(), List.of(calls))) {
            KmsEnvelope sealing = new KmsEnvelope(counted::kms, cloud.secretsKeyArn(), cloud.tableName());
            DynamoDbSubscriptionStore api = subscriptions(sealing);
            List<Subscription> hooks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Subscription hook = hook();
                api.add(hook, 25);
                hooks.add(hook);
                api.find(OWNER, hook.id()).orElseThrow();
            }
            String token = new PageTokens(new DynamoDbSecretKeys(cloud.clients().dynamoDb(), cloud.tableName(), sealing))
                    .sign(OWNER, FILTERS, "a");
            assertEquals(Map.of("Kms.GenerateDataKey", 1), kms(calls), "one data key seals them all");

            calls.reset();
            // another instance (webhook delivery, say) opens them all with one Decrypt
            DynamoDbSubscriptionStore delivery = subscriptions(new KmsEnvelope(counted::kms, null, cloud.tableName()));
            for (Subscription hook : hooks) {
                assertEquals(hook.secret(), delivery.find(OWNER, hook.id()).orElseThrow().secret());
            }
            PageTokens verifying = new PageTokens(new DynamoDbSecretKeys(cloud.clients().dynamoDb(), cloud.tableName(),
                    new KmsEnvelope(counted::kms, cloud.secretsKeyArn(), cloud.tableName())));
            for (int i = 0; i < 3; i++) {
                assertEquals("a", verifying.verify(OWNER, FILTERS, token));
            }
            assertEquals(Map.of("Kms.Decrypt", 2), kms(calls), "one Decrypt per instance for the data key it met");
        }
    }

    @Test
    void thePlaintextKeyOfAnEarlierReleaseIsRemovedWhenTheFirstSealedOneIsMade() {
        byte[] legacy = new byte[32];
        cloud.clients().dynamoDb().putItem(put -> put.tableName(cloud.tableName()).item(Map.of(
                "id", AttributeValue.fromS("key#" + NAME), "secret", AttributeValue.fromB(SdkBytes.fromByteArray(legacy)))));
        SecretKeys.Key key = instance().current(NAME);
        Map<String, AttributeValue> pointer = item("key#" + NAME);
        assertFalse(pointer.containsKey("secret"), pointer.toString());
        assertEquals(key.id(), pointer.get("current").s());
    }

    @Test
    void aVersionPastItsTtlVerifiesNothingEvenBeforeDynamoDbDeletesIt() {
        String token = new PageTokens(instance()).sign(OWNER, FILTERS, "a");
        Clock pastKeeping = Clock.offset(Clock.systemUTC(), DynamoDbSecretKeys.ROTATE_AFTER.multipliedBy(2).plusDays(1));
        assertEquals(null, new PageTokens(instance(pastKeeping)).verify(OWNER, FILTERS, token));
        Clock stillKept = Clock.offset(Clock.systemUTC(), DynamoDbSecretKeys.ROTATE_AFTER.multipliedBy(2).minusDays(1));
        assertEquals("a", new PageTokens(instance(stillKept)).verify(OWNER, FILTERS, token));
    }

    @Test
    void idsThatAreNotKeyIdsFindNothing() {
        DynamoDbSecretKeys keys = instance();
        keys.current(NAME);
        for (String id : new String[] {"", "../x", "a#b", "x".repeat(33), "nope"}) {
            assertTrue(keys.find(NAME, id).isEmpty(), id);
        }
    }

    private DynamoDbSubscriptionStore subscriptions(KmsEnvelope envelope) {
        return new DynamoDbSubscriptionStore(cloud.clients().dynamoDb(), cloud.tableName(), envelope);
    }

    private Subscription hook() {
        return new Subscription(TaskIds.create().newId(), OWNER, "https://hooks.example.com/x",
                EnumSet.allOf(WebhookEvent.class), WebhookSecret.generate(), Instant.now(), null);
    }

    private Map<String, AttributeValue> item(String id) {
        return cloud.clients().dynamoDb().getItem(get -> get.tableName(cloud.tableName())
                .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
    }

    private static Map<String, Integer> kms(AwsCallCounter calls) {
        Map<String, Integer> kms = new java.util.TreeMap<>();
        calls.calls().forEach((name, count) -> {
            if (name.startsWith("Kms.")) {
                kms.put(name, count);
            }
        });
        return kms;
    }
}
