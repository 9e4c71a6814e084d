package dev.longhaul.aws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.dynamodb.DynamoDb;
import dev.longhaul.aws.s3.S3;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Unit tier: the retry policy and error reading over a scripted transport (our own port). The
 * same paths run against the emulators in the adapter tests and under injected faults in the
 * reliability suite.
 */
class ServiceClientTest {
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:1/");

    /** Answers from a script, in order; records what it was asked to send. */
    private static final class Scripted implements Transport {
        final Deque<Object> answers = new ArrayDeque<>();
        final List<Map<String, String>> sent = new ArrayList<>();
        final List<String> bodies = new ArrayList<>();

        Scripted then(int status, String body) {
            answers.add(new AwsResponse(status, Map.of(), body.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        Scripted thenNetworkError() {
            answers.add(new IOException("connection reset"));
            return this;
        }

        @Override
        public AwsResponse send(String method, URI uri, Map<String, String> headers, Body body) throws IOException {
            sent.add(headers);
            bodies.add(body == null ? "" : new String(body.bytes(), body.offset(), body.length(), StandardCharsets.UTF_8));
            Object next = answers.remove();
            if (next instanceof IOException) {
                throw (IOException) next;
            }
            return (AwsResponse) next;
        }
    }

    private static ServiceClient dynamo(Transport transport, List<AwsCallListener> listeners) {
        return new ServiceClient("DynamoDb", "dynamodb", "eu-west-1",
                CredentialsSource.fixed(new Credentials("AKID", "secret", null)), transport, listeners,
                DynamoDb::error, false);
    }

    @Test
    void serverErrorsThrottlingAndNetworkErrorsAreRetried() {
        Scripted transport = new Scripted()
                .then(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\"}")
                .thenNetworkError()
                .then(200, "{}");
        AwsResponse response = dynamo(transport, List.of()).execute("GetItem", "POST", ENDPOINT, Map.of(),
                Transport.Body.of(new byte[0]));
        assertEquals(200, response.status());
        assertEquals(3, transport.sent.size());
    }

    @Test
    void afterTheLastAttemptTheServiceErrorSurfaces() {
        Scripted transport = new Scripted();
        for (int i = 0; i < ServiceClient.MAX_ATTEMPTS; i++) {
            transport.then(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                    + "\"message\":\"slow down\"}");
        }
        AwsServiceException e = assertThrows(AwsServiceException.class, () -> dynamo(transport, List.of())
                .execute("PutItem", "POST", ENDPOINT, Map.of(), null));
        assertEquals("ProvisionedThroughputExceededException", e.errorCode());
        assertTrue(e.isThrottling());
        assertEquals(ServiceClient.MAX_ATTEMPTS, transport.sent.size());
    }

    @Test
    void aClientErrorIsNotRetried() {
        Scripted transport = new Scripted().then(400,
                "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"bad key\"}");
        AwsServiceException e = assertThrows(AwsServiceException.class, () -> dynamo(transport, List.of())
                .execute("GetItem", "POST", ENDPOINT, Map.of(), null));
        assertEquals("ValidationException", e.errorCode());
        assertEquals(1, transport.sent.size());
        assertTrue(e.getMessage().contains("bad key"), e.getMessage());
    }

    @Test
    void everyAttemptIsSignedAfreshAndToldToTheListeners() {
        Scripted transport = new Scripted().then(503, "").then(200, "{}");
        List<AwsCall> calls = new ArrayList<>();
        dynamo(transport, List.of(calls::add)).execute("Query", "POST", ENDPOINT, Map.of("X-Amz-Target", "t"), null);
        assertEquals(List.of(1, 2), calls.stream().map(AwsCall::attempt).toList());
        assertTrue(transport.sent.get(0).get("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKID/"));
        assertTrue(transport.sent.get(0).get("Authorization").contains("SignedHeaders=host;x-amz-date;x-amz-target"));
    }

    @Test
    void aTransactionCancellationCarriesItsReasonsInOrder() {
        Scripted transport = new Scripted().then(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                + "\"message\":\"Transaction cancelled\",\"CancellationReasons\":[{\"Code\":\"None\"},"
                + "{\"Code\":\"ConditionalCheckFailed\",\"Message\":\"The conditional request failed\","
                + "\"Item\":{\"active\":{\"N\":\"3\"}}}]}");
        dev.longhaul.aws.dynamodb.TransactionCanceledException e = assertThrows(
                dev.longhaul.aws.dynamodb.TransactionCanceledException.class,
                () -> new DynamoDb(dynamo(transport, List.of()), ENDPOINT).transactWriteItems(List.of()));
        assertEquals(List.of("None", "ConditionalCheckFailed"),
                e.cancellationReasons().stream().map(r -> r.code()).toList());
        assertEquals("3", e.cancellationReasons().get(1).item().get("active").n());
    }

    @Test
    void aRetriedTransactionCarriesTheSameClientRequestToken() {
        Scripted transport = new Scripted().thenNetworkError().then(200, "{}");
        new DynamoDb(dynamo(transport, List.of()), ENDPOINT).transactWriteItems(List.of(
                DynamoDb.TransactItem.delete(DynamoDb.Request.table("t")
                        .key(Map.of("id", dev.longhaul.aws.dynamodb.Attr.fromS("x"))))));
        assertEquals(2, transport.bodies.size());
        assertTrue(transport.bodies.get(0).contains("\"ClientRequestToken\":\""), transport.bodies.get(0));
        assertEquals(transport.bodies.get(0), transport.bodies.get(1));
        Scripted another = new Scripted().then(200, "{}");
        new DynamoDb(dynamo(another, List.of()), ENDPOINT).transactWriteItems(List.of());
        assertTrue(!another.bodies.get(0).equals(transport.bodies.get(0)), "a new transaction gets a new token");
    }

    @Test
    void s3ErrorsAreReadFromXmlAndAnErrorInA200IsRetried() {
        Scripted transport = new Scripted()
                .then(200, "<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>try again</Message></Error>")
                .then(200, "<CompleteMultipartUploadResult/>");
        ServiceClient client = new ServiceClient("S3", "s3", "eu-west-1",
                CredentialsSource.fixed(new Credentials("AKID", "secret", null)), transport, List.of(), S3::error, true);
        new S3(client, ENDPOINT, "eu-west-1").completeMultipartUpload("bucket", "results/x", "upload",
                List.of(new S3.Part(1, "\"etag\"")));
        assertEquals(2, transport.sent.size());
        assertTrue(transport.sent.get(0).containsKey("x-amz-content-sha256"), "S3 needs the payload hash header");

        Scripted missing = new Scripted().then(404, "<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>");
        ServiceClient missingClient = new ServiceClient("S3", "s3", "eu-west-1",
                CredentialsSource.fixed(new Credentials("AKID", "secret", null)), missing, List.of(), S3::error, true);
        assertEquals(null, new S3(missingClient, ENDPOINT, "eu-west-1").getObject("bucket", "checkpoints/x.json"));
    }
}
