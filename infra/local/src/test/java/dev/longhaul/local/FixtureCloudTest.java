package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.longhaul.core.json.Json;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The runtime's behaviours on the test template ({@code fixture-template.yaml}): payload format
 * 2.0, function timeouts, SQS redrive and partial batch failures, schedules, DynamoDB streams and
 * the startup report of what is not supported.
 */
class FixtureCloudTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LocalCloud cloud() {
        return TestClouds.fixture();
    }

    private static String token(String subject) {
        Instant now = Instant.now();
        return Http.token(Map.of("sub", subject, "iss", TestClouds.FIXTURE_ISSUER,
                "aud", List.of(TestClouds.FIXTURE_AUDIENCE, "other"), "exp", now.plusSeconds(600).getEpochSecond(),
                "iat", now.getEpochSecond(), "scope", "read write"));
    }

    @Test
    void passesPayloadFormatTwoAndMapsTheResponse() {
        URI uri = cloud().baseUrl().resolve("/echo/a%20b/c?x=1&x=2&y=%C3%A9");
        HttpResponse<String> response = Http.send(Http.request(uri, token("alice"))
                .header("Cookie", "k1=v1; k2=v2").header("X-Custom", "Value").GET().build());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("echo", response.headers().firstValue("x-fixture").orElseThrow());
        assertEquals(List.of("a=1; Path=/", "b=2; Path=/"), response.headers().allValues("set-cookie"));

        Map<String, Object> body = Json.parseObject(response.body());
        Map<String, Object> event = map(body.get("event"));
        assertEquals("2.0", event.get("version"));
        assertEquals("ANY /echo/{proxy+}", event.get("routeKey"));
        assertEquals("/echo/a%20b/c", event.get("rawPath"));
        assertEquals("x=1&x=2&y=%C3%A9", event.get("rawQueryString"));
        assertEquals(Map.of("x", "1,2", "y", "é"), event.get("queryStringParameters"));
        assertEquals(Map.of("proxy", "a b/c"), event.get("pathParameters"));
        assertEquals(List.of("k1=v1", "k2=v2"), event.get("cookies"));
        Map<String, Object> headers = map(event.get("headers"));
        assertEquals("Value", headers.get("x-custom"));
        assertFalse(headers.containsKey("cookie"));
        assertEquals(false, event.get("isBase64Encoded"));
        Map<String, Object> context = map(event.get("requestContext"));
        assertEquals("$default", context.get("stage"));
        assertEquals("ANY /echo/{proxy+}", context.get("routeKey"));
        assertEquals("GET", map(context.get("http")).get("method"));
        assertEquals("/echo/a b/c", map(context.get("http")).get("path"));
        Map<String, Object> jwt = map(map(context.get("authorizer")).get("jwt"));
        Map<String, Object> claims = map(jwt.get("claims"));
        assertEquals("alice", claims.get("sub"));
        assertTrue(claims.get("exp") instanceof String, "claims are strings, as API Gateway passes them");
        assertEquals("[" + TestClouds.FIXTURE_AUDIENCE + " other]", claims.get("aud"));
        assertEquals(List.of("read", "write"), jwt.get("scopes"));

        assertEquals("fixture-EchoFunction", body.get("functionName"));
        assertEquals(256L, body.get("memory"));
        long remaining = (Long) body.get("remainingMillis");
        assertTrue(remaining > 0 && remaining <= 2000, "remaining time counts down from Timeout: " + remaining);
    }

    @Test
    void prefersTheMostSpecificRoute() {
        HttpResponse<String> response = Http.get(cloud().baseUrl().resolve("/echo/items/42"), token("alice"));
        Map<String, Object> event = map(Json.parseObject(response.body()).get("event"));
        assertEquals("GET /echo/items/{id}", event.get("routeKey"));
        assertEquals(Map.of("id", "42"), event.get("pathParameters"));
    }

    @Test
    void openRoutesNeedNoTokenAndProtectedOnesDo() {
        HttpResponse<String> open = Http.get(cloud().baseUrl().resolve("/open"), null);
        assertEquals(200, open.statusCode());
        assertNull(map(map(Json.parseObject(open.body()).get("event")).get("requestContext")).get("authorizer"));
        HttpResponse<String> closed = Http.get(cloud().baseUrl().resolve("/echo/x"), null);
        assertEquals(401, closed.statusCode());
        assertEquals("{\"message\":\"Unauthorized\"}", closed.body());
        HttpResponse<String> wrongMethod = Http.send(Http.request(cloud().baseUrl().resolve("/open"), null)
                .DELETE().build());
        assertEquals(404, wrongMethod.statusCode());
    }

    @Test
    void aBareResponseBecomesJson() {
        HttpResponse<String> response = Http.get(cloud().baseUrl().resolve("/bare"), null);
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("{\"bare\":true}", response.body());
    }

    @Test
    void anInvocationOverTheTimeoutFails() {
        long begin = System.nanoTime();
        HttpResponse<String> response = Http.get(cloud().baseUrl().resolve("/slow"), null);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(500, response.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
        assertTrue(millis < 4000, "cut at the 2 s Timeout, took " + millis + " ms");
        // The timed-out instance is discarded; the function still answers.
        assertEquals(200, Http.get(cloud().baseUrl().resolve("/open"), null).statusCode());
    }

    @Test
    void aMessageThatAlwaysFailsEndsInTheDeadLetterQueue() {
        var sqs = cloud().backend().sqs();
        String body = "poison-" + System.nanoTime();
        sqs.sendMessage(send -> send.queueUrl(cloud().stack().physicalId("FailingQueue")).messageBody(body));
        String deadLetters = cloud().stack().physicalId("FailingDeadLetterQueue");
        List<Message> dead = new ArrayList<>();
        await("the message to reach the DLQ", () -> {
            dead.addAll(sqs.receiveMessage(receive -> receive.queueUrl(deadLetters).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages());
            return dead.stream().anyMatch(message -> message.body().equals(body));
        });
        long deliveries = recordsWithBody("FailingFunction", body).size();
        assertEquals(2, deliveries, "delivered maxReceiveCount (2) times before the redrive");
    }

    @Test
    void onlyTheReportedFailuresComeBack() {
        var sqs = cloud().backend().sqs();
        String run = Long.toString(System.nanoTime());
        List<String> bodies = List.of("ok-1-" + run, "fail-1-" + run, "ok-2-" + run, "fail-2-" + run);
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies.get(i)).build());
        }
        sqs.sendMessageBatch(send -> send.queueUrl(cloud().stack().physicalId("PartialQueue")).entries(entries));
        await("the failed messages to be delivered twice", () -> bodies.stream().filter(b -> b.startsWith("fail"))
                .allMatch(b -> recordsWithBody("PartialFunction", b).size() >= 2));
        LifecycleSuite.sleep(3500); // a message not deleted would be back after the 3 s visibility timeout
        for (String body : bodies) {
            List<Map<String, Object>> deliveries = recordsWithBody("PartialFunction", body);
            if (body.startsWith("ok")) {
                assertEquals(1, deliveries.size(), body + " succeeded, so it was deleted");
            } else {
                assertEquals(2, deliveries.size(), body + " failed, so it came back until the redrive");
                assertEquals("2", map(deliveries.get(1).get("attributes")).get("ApproximateReceiveCount"));
            }
        }
        Map<String, Object> record = recordsWithBody("PartialFunction", bodies.get(0)).get(0);
        assertEquals("aws:sqs", record.get("eventSource"));
        assertTrue(String.valueOf(record.get("eventSourceARN")).endsWith("PartialQueue"));
        assertEquals("us-east-1", record.get("awsRegion"));
        assertTrue(map(record.get("attributes")).containsKey("SentTimestamp"));
        assertTrue(record.containsKey("md5OfBody") && record.containsKey("receiptHandle"));
    }

    @Test
    void schedulesFire() {
        await("both enabled schedules to fire", () -> {
            List<Map<String, Object>> events = TestClouds.recorded("ScheduledFunction");
            return events.stream().anyMatch(event -> "Scheduled Event".equals(event.get("detail-type")))
                    && events.stream().anyMatch(event -> "scheduler".equals(event.get("from")));
        });
        Map<String, Object> event = TestClouds.recorded("ScheduledFunction").stream()
                .filter(e -> "Scheduled Event".equals(e.get("detail-type"))).findFirst().orElseThrow();
        assertEquals("aws.events", event.get("source"));
        assertEquals(List.of("arn:aws:events:us-east-1:000000000000:rule/fixture-ScheduledFunctionHourly"),
                event.get("resources"));
    }

    @Test
    void tableChangesReachTheStreamFunctionTtlDeletesIncluded() {
        var dynamoDb = cloud().backend().dynamoDb();
        String table = cloud().stack().physicalId("EventsTable");
        String id = "item-" + System.nanoTime();
        dynamoDb.putItem(put -> put.tableName(table).item(Map.of("id", AttributeValue.fromS(id),
                "n", AttributeValue.fromN("1"),
                "expiresAt", AttributeValue.fromN(Long.toString(Instant.now().minusSeconds(5).getEpochSecond())))));
        dynamoDb.updateItem(update -> update.tableName(table).key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression("SET n = :two").expressionAttributeValues(Map.of(":two", AttributeValue.fromN("2"))));
        await("the INSERT record", () -> !streamRecords(id, "INSERT").isEmpty());
        Map<String, Object> insert = streamRecords(id, "INSERT").get(0);
        assertEquals("aws:dynamodb", insert.get("eventSource"));
        Map<String, Object> dynamodb = map(insert.get("dynamodb"));
        assertEquals(Map.of("id", Map.of("S", id)), dynamodb.get("Keys"));
        assertEquals(Map.of("N", "1"), map(dynamodb.get("NewImage")).get("n"));
        assertEquals("NEW_AND_OLD_IMAGES", dynamodb.get("StreamViewType"));
        assertTrue(String.valueOf(insert.get("eventSourceARN")).contains("stream"));

        // The item expired at creation: DynamoDB Local's TTL deletes it, and the REMOVE names the service.
        await("the TTL REMOVE record", () -> !streamRecords(id, "REMOVE").isEmpty());
        Map<String, Object> remove = streamRecords(id, "REMOVE").get(0);
        assertEquals(Map.of("type", "Service", "principalId", "dynamodb.amazonaws.com"), remove.get("userIdentity"));
        assertTrue(streamRecords(id, "MODIFY").isEmpty(), "the filter lets INSERT and REMOVE through only");
    }

    @Test
    void reportsWhatItDoesNotSupport() {
        List<String> notes = cloud().notes();
        assertNote(notes, "UnsupportedFunction: Layers not applied locally");
        assertNote(notes, "UnsupportedFunction: AutoPublishAlias not applied locally");
        assertNote(notes, "UnsupportedFunction.Events.Topic (SNS) is not emulated");
        assertNote(notes, "UnsupportedFunction.Events.Queue (SQS): ScalingConfig not honoured locally");
        assertNote(notes, "UnsupportedFunction.Events.Queue (SQS) is disabled");
        assertNote(notes, "ScheduledFunction.Events.Disabled (Schedule) is disabled");
        assertNote(notes, "PythonFunction does not run: Runtime python3.12");
        assertNote(notes, "FixtureApi: CorsConfiguration not applied locally");
    }

    private static void assertNote(List<String> notes, String expected) {
        assertTrue(notes.stream().anyMatch(note -> note.contains(expected)), "no note '" + expected + "' in " + notes);
    }

    private static List<Map<String, Object>> recordsWithBody(String function, String body) {
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> event : TestClouds.recorded(function)) {
            for (Object record : (List<?>) event.get("Records")) {
                if (body.equals(map(record).get("body"))) {
                    matching.add(map(record));
                }
            }
        }
        return matching;
    }

    private static List<Map<String, Object>> streamRecords(String id, String eventName) {
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> event : TestClouds.recorded("StreamFunction")) {
            for (Object item : (List<?>) event.get("Records")) {
                Map<String, Object> record = map(item);
                Map<String, Object> keys = map(map(record.get("dynamodb")).get("Keys"));
                if (eventName.equals(record.get("eventName")) && Map.of("S", id).equals(keys.get("id"))) {
                    matching.add(record);
                }
            }
        }
        return matching;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting " + WAIT.toSeconds() + " s for " + what);
            }
            LifecycleSuite.sleep(200);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new HashMap<>();
    }
}
