package dev.longhaul.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.client.AwsCall;
import dev.longhaul.aws.client.AwsServiceException;
import dev.longhaul.aws.client.Transport;
import dev.longhaul.aws.dynamodb.Attr;
import dev.longhaul.aws.dynamodb.DynamoDb;
import dev.longhaul.aws.testing.AwsCallCounter;
import dev.longhaul.aws.testing.TestCloud;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
/** Integration tier: the injector on clients pointed at the emulators, and its strict setting. */
class FaultInjectorTest {

    @BeforeEach
    void zero() {
        FaultInjector.resetCounts();
    }

    private static Map<String, String> env(String faults) {
        Map<String, String> env = new HashMap<>(TestCloud.get().environment());
        env.put(FaultInjector.VARIABLE, faults);
        return env;
    }

    @Test
    void throttlingIsRetriedAndSurfacesOnlyWhenEveryAttemptIsThrottled() {
        TestCloud cloud = TestCloud.get();
        AwsCallCounter counter = new AwsCallCounter();
        try (AwsClients clients = AwsClients.fromEnvironment(env("dynamodb.throttle=1"), List.of(counter))) {
            AwsServiceException e = assertThrows(AwsServiceException.class,
                    () -> clients.dynamoDb().getItem(DynamoDb.Request.table(cloud.tableName())
                            .key(Map.of("id", Attr.fromS("nothing")))));
            assertEquals(400, e.statusCode());
            assertEquals("ProvisionedThroughputExceededException", e.errorCode());
            assertTrue(e.isThrottling(), "the retry policy must see it as throttling");
            int attempts = counter.attempts().entrySet().stream().filter(c -> c.getKey().endsWith(".GetItem"))
                    .mapToInt(Map.Entry::getValue).sum();
            assertTrue(attempts > 1, "retried: " + counter.attempts() + " " + e);
            assertEquals(attempts, FaultInjector.injected(FaultInjector.Kind.DYNAMODB_THROTTLE));
        }
    }

    @Test
    void s3WritesAndSqsSendsFailWith500WhileOtherCallsPass() {
        TestCloud cloud = TestCloud.get();
        try (AwsClients clients = AwsClients.fromEnvironment(env("s3.put=1.0, sqs.send=1"))) {
            AwsServiceException put = assertThrows(AwsServiceException.class, () -> clients.s3().putObject(
                    cloud.bucket(), "results/fault-test", "text/plain", Transport.Body.of(new byte[] {'x'})));
            assertEquals(500, put.statusCode());
            assertEquals("S3", put.service());
            AwsServiceException send = assertThrows(AwsServiceException.class,
                    () -> clients.sqs().sendMessage(cloud.queueUrl(), "x"));
            assertEquals(500, send.statusCode());
            assertEquals("Sqs", send.service());
            // reads pass: nothing was stored by the failed put
            assertTrue(clients.s3().headObject(cloud.bucket(), "results/fault-test").isEmpty());
            clients.dynamoDb().getItem(DynamoDb.Request.table(cloud.tableName())
                    .key(Map.of("id", Attr.fromS("nothing"))));
        }
        assertTrue(FaultInjector.injected(FaultInjector.Kind.S3_PUT) >= 1);
        assertTrue(FaultInjector.injected(FaultInjector.Kind.SQS_SEND) >= 1);
        assertEquals(0, FaultInjector.injected(FaultInjector.Kind.DYNAMODB_THROTTLE));
    }

    @Test
    void withoutTheVariableNothingIsInjected() {
        TestCloud cloud = TestCloud.get();
        try (AwsClients clients = AwsClients.fromEnvironment(TestCloud.get().environment())) {
            clients.sqs().sendMessage(cloud.deadLetterQueueUrl(), "x");
        }
        cloud.clients().sqs().purgeQueue(p -> p.queueUrl(cloud.deadLetterQueueUrl()));
        assertEquals(Map.of("dynamodb.throttle", 0L, "s3.put", 0L, "sqs.send", 0L), FaultInjector.injected());
    }

    @Test
    void theSameSeedDrawsTheSameFaults() {
        assertEquals(draws("7"), draws("7"));
        assertTrue(!draws("7").equals(draws("8")) || !draws("8").equals(draws("9")));
    }

    private static String draws(String seed) {
        FaultInjector injector = FaultInjector.of("sqs.send=0.5", seed);
        StringBuilder outcome = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            try {
                injector.beforeSend(new AwsCall("Sqs", "SendMessage", 1, java.net.URI.create("http://127.0.0.1/")));
                outcome.append('.');
            } catch (AwsServiceException e) {
                outcome.append('x');
            }
        }
        return outcome.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "s3.put", "s3.put=", "=0.1", "s3.put=1.5", "s3.put=-0.1", "s3.put=NaN",
            "s3.put=0.1d", "s3.put=0x1", "s3.put=0.1,", "s3.put=0.1,s3.put=0.2", "s3.get=0.1", "s3.put==0.1",
            "dynamodb.throttle=0.1;s3.put=0.1"})
    void malformedSettingsFailNamingTheVariable(String setting) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FaultInjector.of(setting, null));
        assertTrue(e.getMessage().contains(FaultInjector.VARIABLE), e.getMessage());
    }

    @Test
    void malformedSeedFailsNamingTheVariable() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FaultInjector.of("s3.put=0.1", "twelve"));
        assertTrue(e.getMessage().contains(FaultInjector.SEED_VARIABLE), e.getMessage());
    }

    @Test
    void aWellFormedSettingIsReadAsWritten() {
        FaultInjector injector = FaultInjector.of(" dynamodb.throttle=0.05 ,S3.PUT=.5,sqs.send=0", "42");
        assertEquals(Map.of(FaultInjector.Kind.DYNAMODB_THROTTLE, 0.05, FaultInjector.Kind.S3_PUT, 0.5,
                FaultInjector.Kind.SQS_SEND, 0.0), injector.probabilities());
    }
}
