package dev.longhaul.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.AwsCallCounter;
import dev.longhaul.aws.testing.TestCloud;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;

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
    void throttlingIsRetriedByTheSdkAndSurfacesOnlyWhenEveryAttemptIsThrottled() {
        TestCloud cloud = TestCloud.get();
        AwsCallCounter counter = new AwsCallCounter();
        try (AwsClients clients = AwsClients.fromEnvironment(env("dynamodb.throttle=1"), List.of(counter))) {
            ProvisionedThroughputExceededException e = assertThrows(ProvisionedThroughputExceededException.class,
                    () -> clients.dynamoDb().getItem(get -> get.tableName(cloud.tableName())
                            .key(Map.of("id", AttributeValue.fromS("nothing")))));
            assertEquals(400, e.statusCode());
            assertTrue(e.isThrottlingException(), "the SDK must see it as throttling");
            int attempts = counter.attempts().entrySet().stream().filter(c -> c.getKey().endsWith(".GetItem"))
                    .mapToInt(Map.Entry::getValue).sum();
            assertTrue(attempts > 1, "retried by the SDK: " + counter.attempts() + " " + e);
            assertEquals(attempts, FaultInjector.injected(FaultInjector.Kind.DYNAMODB_THROTTLE));
        }
    }

    @Test
    void s3WritesAndSqsSendsFailWith500WhileOtherCallsPass() {
        TestCloud cloud = TestCloud.get();
        try (AwsClients clients = AwsClients.fromEnvironment(env("s3.put=1.0, sqs.send=1"))) {
            S3Exception put = assertThrows(S3Exception.class, () -> clients.s3().putObject(
                    p -> p.bucket(cloud.bucket()).key("results/fault-test"), RequestBody.fromString("x")));
            assertEquals(500, put.statusCode());
            SqsException send = assertThrows(SqsException.class,
                    () -> clients.sqs().sendMessage(s -> s.queueUrl(cloud.queueUrl()).messageBody("x")));
            assertEquals(500, send.statusCode());
            clients.s3().listObjectsV2(l -> l.bucket(cloud.bucket()).prefix("results/fault-test"));
            clients.sqs().getQueueAttributes(g -> g.queueUrl(cloud.queueUrl()));
            clients.dynamoDb().describeTable(d -> d.tableName(cloud.tableName()));
        }
        assertTrue(FaultInjector.injected(FaultInjector.Kind.S3_PUT) >= 1);
        assertTrue(FaultInjector.injected(FaultInjector.Kind.SQS_SEND) >= 1);
        assertEquals(0, FaultInjector.injected(FaultInjector.Kind.DYNAMODB_THROTTLE));
    }

    @Test
    void withoutTheVariableNothingIsInjected() {
        TestCloud cloud = TestCloud.get();
        try (AwsClients clients = AwsClients.fromEnvironment(TestCloud.get().environment())) {
            clients.sqs().sendMessage(s -> s.queueUrl(cloud.deadLetterQueueUrl()).messageBody("x"));
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
        ExecutionInterceptor injector = FaultInjector.of("sqs.send=0.5", seed);
        StringBuilder outcome = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            ExecutionAttributes attributes = new ExecutionAttributes();
            attributes.putAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.SERVICE_NAME, "Sqs");
            attributes.putAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME,
                    "SendMessage");
            try {
                injector.beforeTransmission((Context.BeforeTransmission) null, attributes);
                outcome.append('.');
            } catch (SqsException e) {
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
