package dev.longhaul.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    void missingCredentialsFailNamingTheVariable() {
        Map<String, String> env = env();
        env.remove("AWS_SECRET_ACCESS_KEY");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AwsClients.fromEnvironment(env));
        assertTrue(e.getMessage().contains("AWS_SECRET_ACCESS_KEY"), e.getMessage());
    }

    @Test
    void serviceEndpointWinsOverTheGeneralOne() {
        Map<String, String> env = env();
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1000");
        env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:2000");
        try (AwsClients clients = AwsClients.fromEnvironment(env)) {
            assertEquals(URI.create("http://127.0.0.1:1000"), clients.dynamoDb().endpoint());
            assertEquals(URI.create("http://127.0.0.1:2000"), clients.sqs().endpoint());
            URI presigned = clients.s3().presignGet("bucket", "results/x", Map.of(), Duration.ofMinutes(1));
            assertEquals("127.0.0.1", presigned.getHost());
            assertEquals(1000, presigned.getPort());
            assertEquals("eu-west-1", clients.region());
        }
    }

    @Test
    void withoutOverridesTheRegionalEndpointsAreUsed() {
        try (AwsClients clients = AwsClients.fromEnvironment(env())) {
            assertEquals(URI.create("https://dynamodb.eu-west-1.amazonaws.com/"), clients.dynamoDb().endpoint());
            assertEquals(URI.create("https://sqs.eu-west-1.amazonaws.com/"), clients.sqs().endpoint());
            URI presigned = clients.s3().presignGet("my-bucket", "results/x", Map.of(), Duration.ofMinutes(1));
            // virtual-hosted addressing, as the SDK's presigner does it
            assertEquals("my-bucket.s3.eu-west-1.amazonaws.com", presigned.getHost());
            assertEquals("/results/x", presigned.getPath());
            assertTrue(presigned.getRawQuery().contains("X-Amz-Credential=AKIDEXAMPLE%2F"), presigned.toString());
            assertTrue(presigned.getRawQuery().contains("%2Feu-west-1%2Fs3%2Faws4_request"), presigned.toString());
        }
    }

    @Test
    void clientsAreBuiltOnceAndOnlyWhenAsked() {
        try (AwsClients clients = AwsClients.fromEnvironment(env())) {
            assertSame(clients.dynamoDb(), clients.dynamoDb());
            assertSame(clients.s3(), clients.s3());
        }
    }

    @Test
    void sessionTokenIsSignedIntoRequests() {
        Map<String, String> env = env();
        env.put("AWS_SESSION_TOKEN", "token/with+chars");
        try (AwsClients clients = AwsClients.fromEnvironment(env)) {
            URI presigned = clients.s3().presignGet("bucket", "k", Map.of(), Duration.ofMinutes(1));
            assertTrue(presigned.getRawQuery().contains("X-Amz-Security-Token=token%2Fwith%2Bchars"),
                    presigned.toString());
        }
    }

    @Test
    void presignerUsesPathStyleWithAnEndpointOverride() {
        Map<String, String> env = env();
        env.put("AWS_ENDPOINT_URL_S3", "http://localhost:9000");
        try (AwsClients clients = AwsClients.fromEnvironment(env)) {
            URI url = clients.s3().presignGet("bucket", "results/x", Map.of(), Duration.ofMinutes(1));
            assertEquals("localhost", url.getHost());
            assertEquals("/bucket/results/x", url.getPath());
        }
    }
}
