package dev.longhaul.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.client.FakeApi.Reply;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's side of the protocol against a scripted JDK HTTP server: retries and their bounds,
 * idempotency keys, redirects without the token, long polling, paging, and tolerant reading.
 */
class LonghaulClientProtocolTest {
    private static final String ID = "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2a";

    private final FakeApi api = new FakeApi();
    private final List<RetryPolicy.Retry> retries = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        api.close();
    }

    private LonghaulClient client(int maxAttempts, Duration maxElapsed) {
        return LonghaulClient.builder()
                .baseUrl(api.url())
                .token(() -> "the-token")
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(maxAttempts)
                        .maxElapsed(maxElapsed)
                        .initialBackoff(Duration.ofMillis(10))
                        .onRetry(retries::add)
                        .build())
                .build();
    }

    private LonghaulClient client() {
        return client(4, Duration.ofSeconds(30));
    }

    private static String task(String status, int revision, String extra) {
        return "{\"id\":\"" + ID + "\",\"type\":\"demo.sleep\",\"status\":\"" + status + "\",\"progress\":" + revision * 10
                + ",\"createdAt\":\"2026-11-25T08:00:00.120Z\",\"revision\":" + revision + extra + "}";
    }

    @Test
    void aCreateAnswered503WithRetryAfterIsRetriedWithTheSameIdempotencyKey() {
        api.reply(Reply.problem(503, "queue-unavailable", "Retry-After", "1"),
                Reply.json(202, task("queued", 1, ""), "Location", "/v1/tasks/" + ID));

        Task task = client().create(CreateTaskRequest.builder("demo.sleep").parameter("seconds", 1).build());

        assertEquals(ID, task.id());
        List<FakeApi.Request> requests = api.requests();
        assertEquals(2, requests.size());
        String key = requests.get(0).header("Idempotency-Key");
        assertNotNull(key, "a key is generated when none is given");
        assertEquals(key, requests.get(1).header("Idempotency-Key"), "the retry repeats the key");
        assertEquals("Bearer the-token", requests.get(1).header("Authorization"));
        assertEquals("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1}}", requests.get(0).body());
        assertEquals(1, retries.size());
        assertEquals(503, retries.get(0).status());
        assertEquals(Duration.ofSeconds(1), retries.get(0).delay(), "Retry-After is honoured");
    }

    @Test
    void aGivenIdempotencyKeyIsSentAndEachCreateWithoutOneGetsItsOwn() {
        api.reply(Reply.json(202, task("queued", 1, "")), Reply.json(202, task("queued", 1, "")),
                Reply.json(202, task("queued", 1, "")));
        LonghaulClient client = client();
        client.create(CreateTaskRequest.builder("demo.sleep").idempotencyKey("nightly-42").build());
        client.create("demo.sleep", Map.of());
        client.create("demo.sleep", Map.of());
        List<FakeApi.Request> requests = api.requests();
        assertEquals("nightly-42", requests.get(0).header("Idempotency-Key"));
        assertFalse(requests.get(1).header("Idempotency-Key").equals(requests.get(2).header("Idempotency-Key")));
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() {
        api.reply(Reply.problem(429, "concurrency-limit-exceeded", "Retry-After", "1"), Reply.json(200, task("running", 2, "")));
        assertEquals(TaskStatus.RUNNING, client().get(ID).status());
        assertEquals(2, api.requests().size());
        assertEquals(429, retries.get(0).status());
    }

    @Test
    void retriesStopAtMaxAttemptsAndTheLastAnswerIsTheError() {
        for (int i = 0; i < 5; i++) {
            api.reply(Reply.problem(503, "service-unavailable", "Retry-After", "0"));
        }
        LonghaulException e = assertThrows(LonghaulException.class, () -> client(3, Duration.ofSeconds(30)).get(ID));
        assertEquals(503, e.status());
        assertEquals("service-unavailable", e.code());
        assertEquals(Duration.ZERO, e.retryAfter().orElseThrow());
        assertEquals(3, api.requests().size());
        assertEquals(2, retries.size());
    }

    @Test
    void aRetryAfterBeyondTheTimeBoundIsNotWaitedFor() {
        api.reply(Reply.problem(429, "concurrency-limit-exceeded", "Retry-After", "120"));
        LonghaulException e = assertThrows(LonghaulException.class, () -> client(10, Duration.ofSeconds(5)).get(ID));
        assertEquals(429, e.status());
        assertEquals(Duration.ofSeconds(120), e.retryAfter().orElseThrow());
        assertEquals(1, api.requests().size());
        assertTrue(retries.isEmpty());
    }

    @Test
    void retryAfterMayBeAnHttpDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3600));
        Duration parsed = Transport.parseRetryAfter(date);
        assertTrue(parsed.compareTo(Duration.ofMinutes(55)) > 0 && parsed.compareTo(Duration.ofMinutes(61)) < 0, parsed.toString());
        assertEquals(Duration.ZERO, Transport.parseRetryAfter("Tue, 01 Jan 2019 00:00:00 GMT"));
        assertNull(Transport.parseRetryAfter("soon"));
    }

    @Test
    void networkErrorsAreRetriedForIdempotentCallsOnly() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        LonghaulClient client = LonghaulClient.builder().baseUrl(closed).token(() -> "t")
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(10))
                        .onRetry(retries::add).build())
                .build();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> client.get(ID));
        assertTrue(e.getMessage().contains("3 attempt"), e.getMessage());
        assertEquals(2, retries.size());
        assertEquals(0, retries.get(0).status());
        assertNotNull(retries.get(0).failure());

        retries.clear();
        assertThrows(UncheckedIOException.class, () -> client.createWebhook("https://hooks.example.com/x", List.of()));
        assertTrue(retries.isEmpty(), "a subscription whose answer was lost is not sent again");
    }

    @Test
    void aWebhookSubscriptionIsRetriedOnlyWhenTheAnswerSaysItWasNotProcessed() {
        api.reply(Reply.json(503, "{\"message\":\"Service Unavailable\"}"));
        LonghaulException e = assertThrows(LonghaulException.class,
                () -> client().createWebhook("https://hooks.example.com/x", List.of()));
        assertEquals("http-503", e.code());
        assertEquals("Service Unavailable", e.detail());
        assertEquals(1, api.requests().size());

        api.reply(Reply.problem(503, "service-unavailable", "Retry-After", "0"),
                Reply.json(201, "{\"id\":\"" + ID + "\",\"url\":\"https://hooks.example.com/x\",\"events\":"
                        + "[\"task.succeeded\"],\"createdAt\":\"2026-11-25T08:00:00Z\",\"secret\":\"whsec_AAAA\"}"));
        Webhook webhook = client().createWebhook("https://hooks.example.com/x", List.of("task.succeeded"));
        assertEquals("whsec_AAAA", webhook.secret());
        assertEquals(List.of("task.succeeded"), webhook.events());
        assertEquals("{\"url\":\"https://hooks.example.com/x\",\"events\":[\"task.succeeded\"]}", api.requests().get(2).body());
    }

    @Test
    void theDownloadFollowsThe303WithTheTokenAndThe302WithoutIt(@TempDir Path directory) throws Exception {
        try (FakeApi storage = new FakeApi()) {
            storage.reply(new Reply(200, new java.util.LinkedHashMap<>(Map.of("Content-Type", "text/csv")), "a,b\n1,2\n"),
                    new Reply(200, new java.util.LinkedHashMap<>(), "a,b\n1,2\n"));
            String presigned = storage.url() + "/results/" + ID + "?X-Amz-Signature=abc";
            api.reply(Reply.empty(303, "Location", "/v1/tasks/" + ID + "/result"),
                    Reply.empty(302, "Location", presigned),
                    Reply.empty(302, "Location", presigned));
            LonghaulClient client = client();

            Path file = client.download(ID, directory.resolve("out.csv"));
            assertEquals("a,b\n1,2\n", Files.readString(file));
            try (InputStream in = client.openResult(ID)) {
                assertArrayEquals("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
            }

            List<FakeApi.Request> apiRequests = api.requests();
            assertEquals("/v1/tasks/" + ID + "/result", apiRequests.get(0).pathAndQuery());
            assertEquals("Bearer the-token", apiRequests.get(1).header("Authorization"), "the 303 stays within the API");
            for (FakeApi.Request request : storage.requests()) {
                assertEquals("/results/" + ID + "?X-Amz-Signature=abc", request.pathAndQuery());
                assertNull(request.header("Authorization"), "no token to the presigned URL");
            }
            try (var files = Files.list(directory)) {
                assertEquals(List.of(file), files.toList(), "no partial file left");
            }
        }
    }

    @Test
    void aResultThatIsNotReadyIsAProblemAndNothingIsWritten(@TempDir Path directory) {
        api.reply(Reply.problem(409, "result-not-ready", "Retry-After", "2"));
        Path target = directory.resolve("out.csv");
        LonghaulException e = assertThrows(LonghaulException.class, () -> client().download(ID, target));
        assertEquals("result-not-ready", e.code());
        assertEquals(409, e.status());
        assertEquals("Detail of result-not-ready.", e.detail());
        assertFalse(Files.exists(target));
    }

    @Test
    void waitForLongPollsWithTheEtagAndReportsEachChange() {
        api.reply(Reply.json(200, task("queued", 1, ""), "ETag", "\"1\"", "Retry-After", "1"),
                Reply.empty(304, "ETag", "\"1\"", "Preference-Applied", "wait=10"),
                Reply.json(200, task("running", 2, ""), "ETag", "\"2\"", "Preference-Applied", "wait=10"),
                Reply.json(303, task("succeeded", 3, ""), "ETag", "\"3\"", "Preference-Applied", "wait=10",
                        "Location", "/v1/tasks/" + ID + "/result"));
        List<Task> seen = new ArrayList<>();

        Task done = client().waitFor(ID, Duration.ofMinutes(5), seen::add);

        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(List.of("queued", "running", "succeeded"), seen.stream().map(t -> t.status().value()).toList());
        List<FakeApi.Request> requests = api.requests();
        assertEquals(4, requests.size());
        assertNull(requests.get(0).header("Prefer"), "the first poll answers at once");
        assertNull(requests.get(0).header("If-None-Match"));
        assertEquals("wait=10", requests.get(1).header("Prefer"));
        assertEquals("\"1\"", requests.get(1).header("If-None-Match"));
        assertEquals("\"1\"", requests.get(2).header("If-None-Match"), "a 304 keeps the copy held");
        assertEquals("\"2\"", requests.get(3).header("If-None-Match"));
    }

    @Test
    void waitForReturnsTheLastSeenTaskWhenTheTimeoutPasses() {
        api.reply(Reply.json(200, task("running", 1, ""), "ETag", "\"1\"", "Retry-After", "1"));
        Task last = client().waitFor(ID, Duration.ZERO, task -> { });
        assertEquals(TaskStatus.RUNNING, last.status());
        assertFalse(last.isTerminal());
        assertEquals(1, api.requests().size());
    }

    @Test
    void theListingFollowsPageTokensAndPassesFiltersThrough() {
        String second = "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2b";
        api.reply(Reply.json(200, "{\"tasks\":[" + task("failed", 1, "") + "],\"nextPageToken\":\"tok+1/=\"}"),
                Reply.json(200, "{\"tasks\":[],\"nextPageToken\":\"tok2\"}"),
                Reply.json(200, "{\"tasks\":[" + task("failed", 1, "").replace(ID, second) + "],\"nextPageToken\":null}"));
        TaskQuery query = TaskQuery.builder().status(TaskStatus.FAILED).type("demo.fail")
                .createdAfter(java.time.Instant.parse("2026-11-25T08:00:00Z"))
                .filter("queue", "reports").filter("parent", ID).pageSize(1).build();

        List<String> ids = new ArrayList<>();
        client().list(query).forEach(task -> ids.add(task.id()));

        assertEquals(List.of(ID, second), ids, "an empty page in between does not end the listing");
        List<FakeApi.Request> requests = api.requests();
        assertEquals(3, requests.size());
        assertEquals("/v1/tasks?status=failed&type=demo.fail&createdAfter=2026-11-25T08%3A00%3A00Z&queue=reports&parent="
                + ID + "&pageSize=1", requests.get(0).pathAndQuery());
        assertTrue(requests.get(1).pathAndQuery().endsWith("&pageToken=tok%2B1%2F%3D"), requests.get(1).pathAndQuery());
    }

    @Test
    void unknownMembersAndStatusesAreToleratedAndKept() {
        api.reply(Reply.json(200, task("blocked", 4, ",\"name\":\"nightly\",\"queue\":\"reports\",\"children\":[\"a\",\"b\"],"
                + "\"dependsOn\":[],\"notBefore\":\"2026-11-26T00:00:00Z\",\"queuePosition\":7,\"executions\":[{\"attempt\":1,"
                + "\"outcome\":\"paused\",\"extra\":true}],\"eta\":\"not a date\",\"error\":null")));
        Task task = client().get(ID);
        assertEquals(TaskStatus.of("blocked"), task.status());
        assertFalse(task.isTerminal(), "an unknown status is not terminal");
        assertEquals("reports", task.get("queue").asText());
        assertEquals(7, task.json().get("queuePosition").asInt());
        assertEquals(2, task.get("children").size());
        assertNull(task.eta(), "an unreadable instant reads as null");
        assertNull(task.get("nothing"));
        assertEquals(40, task.progress());
    }

    @Test
    void aProblemBecomesALonghaulExceptionWithItsExtensions() {
        api.reply(new Reply(400, new java.util.LinkedHashMap<>(Map.of("Content-Type", "application/problem+json")),
                "{\"type\":\"https://longhaul.dev/problems/invalid-request\",\"title\":\"Invalid request\",\"status\":400,"
                        + "\"detail\":\"The request is invalid.\",\"code\":\"invalid-request\",\"instance\":\"/v1/tasks\","
                        + "\"errors\":[{\"field\":\"parameters.rows\",\"message\":\"must be at least 1\"}],\"future\":1}"));
        LonghaulException e = assertThrows(LonghaulException.class, () -> client().create("report.stock", Map.of("rows", 0)));
        assertEquals(400, e.status());
        assertEquals("invalid-request", e.code());
        assertEquals("Invalid request", e.title());
        assertEquals("The request is invalid.", e.detail());
        assertEquals("parameters.rows", e.problem().path("errors").path(0).path("field").asText());
        assertEquals(1, e.problem().path("future").asInt());
        assertTrue(retries.isEmpty(), "a 400 is not retried");
    }

    @Test
    void taskTypesAreReadWithTheirSchemas() {
        api.reply(Reply.json(200, "{\"types\":[{\"type\":\"demo.sleep\",\"description\":\"Sleeps\",\"contentType\":"
                + "\"application/json\",\"parameters\":{\"type\":\"object\",\"properties\":{\"seconds\":{\"type\":\"integer\"}},"
                + "\"required\":[\"seconds\"]},\"resumable\":false,\"future\":\"x\"}]}"));
        List<TaskType> types = client().taskTypes();
        assertEquals(1, types.size());
        assertEquals("demo.sleep", types.get(0).type());
        assertEquals("integer", types.get(0).parameters().path("properties").path("seconds").path("type").asText());
        assertEquals("/v1/task-types", api.requests().get(0).pathAndQuery());
    }

    @Test
    void aClientThatFollowsRedirectsItselfIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LonghaulClient.builder()
                .httpClient(java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build()));
    }
}
