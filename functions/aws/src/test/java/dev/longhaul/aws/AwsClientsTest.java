package dev.longhaul.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Mock tier: configuration only; building a client sends nothing. */
class AwsClientsTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        return env;
    }

    @Test
    void missingRegionFailsNamingTheVariable() {
        Map<String, String> env = env();
        env.remove("AWS_REGION");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AwsClients.fromEnvironment(env));
        assertTrue(e.getMessage().contains("AWS_REGION"), e.getMessage());
    }

    @Test
    void keysInTheFunctionsEnvironmentAreUsedAsTheyAre() {
        try (AwsClients clients = AwsClients.fromEnvironment(env())) {
            var provider = clients.dynamoDb().serviceClientConfiguration().credentialsProvider();
            assertInstanceOf(StaticCredentialsProvider.class, provider);
            assertEquals("AKIDEXAMPLE", provider.resolveIdentity().join().accessKeyId());
        }
    }

    /** A laptop's profile, SSO or web identity, or SnapStart's container credentials: the SDK's own chain. */
    @Test
    void withoutKeysTheSdksDefaultChainIsUsedAndNothingIsResolvedAtBuildTime() {
        Map<String, String> env = env();
        env.remove("AWS_ACCESS_KEY_ID");
        env.remove("AWS_SECRET_ACCESS_KEY");
        try (AwsClients clients = AwsClients.fromEnvironment(env)) {
            assertInstanceOf(DefaultCredentialsProvider.class,
                    clients.dynamoDb().serviceClientConfiguration().credentialsProvider());
        }
    }

    @Test
    void everyClientHasTheStandardRetryModeAndTheFunctionsTimeLimits() {
        try (AwsClients clients = AwsClients.fromEnvironment(env(), AwsClients.Timeouts.api())) {
            var dynamoDb = clients.dynamoDb().serviceClientConfiguration().overrideConfiguration();
            assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(2)), dynamoDb.apiCallAttemptTimeout());
            assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(5)), dynamoDb.apiCallTimeout());
            assertInstanceOf(software.amazon.awssdk.retries.StandardRetryStrategy.class,
                    dynamoDb.retryStrategy().orElseThrow());
            var s3 = clients.s3().serviceClientConfiguration().overrideConfiguration();
            assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(10)), s3.apiCallTimeout());
        }
    }

    @Test
    void serviceEndpointWinsOverTheGeneralOne() {
        Map<String, String> env = env();
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1000");
        env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:2000");
        try (AwsClients clients = AwsClients.fromEnvironment(env)) {
            assertEquals(URI.create("http://127.0.0.1:1000"),
                    clients.dynamoDb().serviceClientConfiguration().endpointOverride().orElseThrow());
            assertEquals(URI.create("http://127.0.0.1:2000"),
                    clients.sqs().serviceClientConfiguration().endpointOverride().orElseThrow());
            assertEquals(URI.create("http://127.0.0.1:1000"),
                    clients.s3().serviceClientConfiguration().endpointOverride().orElseThrow());
            assertEquals(Region.EU_WEST_1, clients.dynamoDb().serviceClientConfiguration().region());
        }
    }

    @Test
    void clientsAreBuiltOnceAndOnlyWhenAsked() {
        try (AwsClients clients = AwsClients.fromEnvironment(env())) {
            DynamoDbClient first = clients.dynamoDb();
            assertEquals(first, clients.dynamoDb());
        }
    }

    @Test
    void sessionTokenGivesSessionCredentials() {
        Map<String, String> env = env();
        env.put("AWS_SESSION_TOKEN", "token");
        try (AwsClients clients = AwsClients.fromEnvironment(env)) {
            assertTrue(clients.dynamoDb().serviceClientConfiguration().credentialsProvider()
                    .resolveIdentity().join() instanceof AwsSessionCredentials);
        }
    }

    @Test
    void presignerUsesPathStyleWithAnEndpointOverride() {
        Map<String, String> env = env();
        env.put("AWS_ENDPOINT_URL_S3", "http://localhost:9000");
        try (AwsClients clients = AwsClients.fromEnvironment(env)) {
            URI url = URI.create(clients.presigner().presignGetObject(p -> p
                    .signatureDuration(Duration.ofMinutes(1))
                    .getObjectRequest(g -> g.bucket("bucket").key("results/x"))).url().toString());
            assertEquals("localhost", url.getHost());
            assertEquals("/bucket/results/x", url.getPath());
        }
    }

    @Test
    void theEmulatorsScaleCanLengthenEveryLimitAndNothingElse() {
        Map<String, String> env = env();
        env.put(AwsClients.TIMEOUT_SCALE_VARIABLE, "10");
        try (AwsClients clients = AwsClients.fromEnvironment(env, AwsClients.Timeouts.api())) {
            var dynamoDb = clients.dynamoDb().serviceClientConfiguration().overrideConfiguration();
            assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(20)), dynamoDb.apiCallAttemptTimeout());
            assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(50)), dynamoDb.apiCallTimeout());
        }
        env.put(AwsClients.TIMEOUT_SCALE_VARIABLE, "0");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AwsClients.fromEnvironment(env));
        assertTrue(e.getMessage().contains(AwsClients.TIMEOUT_SCALE_VARIABLE), e.getMessage());
    }
}
