package dev.longhaul.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.api.ApiHandler;
import dev.longhaul.api.ApiInvoker;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.task.Notification;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drives the real API handler, against the emulators, through every route and every status it
 * documents, and checks each response against openapi.yaml: the status is documented for the
 * operation, the documented headers are there (and nothing undocumented is), and the body is
 * valid against the documented schema. The last test fails if a documented status was never seen.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiConformanceTest {
    /** Statuses no deterministic request can produce: none left (a throttled store gives every 503). */
    private static final Set<String> NOT_PRODUCIBLE = Set.of();

    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();
    private static final ResponseConformance CONFORMANCE = new ResponseConformance(DOCUMENT);

    private static TestCloud cloud;
    private static ApiHandler handler;
    private static ApiInvoker api;
    private static DynamoDbTaskStore store;
    private static ApiInvoker privateTargetsApi;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        handler = new ApiHandler(cloud.environment("ApiFunction"));
        api = new ApiInvoker(handler);
        store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    @Test
    @Order(1)
    void createAnswers202ForEachJobType() {
        for (String body : List.of(
                "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1},\"description\":\"warm-up\"}",
                "{\"type\":\"demo.fail\"}",
                "{\"type\":\"report.stock\",\"parameters\":{\"rows\":10,\"format\":\"json\"},\"description\":null}")) {
            ApiInvoker.Response created = expect(202, call(post("/v1/tasks", body)));
            assertNotNull(created.header("Retry-After"));
        }
    }

    @Test
    @Order(2)
    void idempotentCreateAnswers202Then202Replayed422And409() {
        String body = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0}}";
        ApiInvoker.Response first = expect(202, call(withHeader(post("/v1/tasks", body), "Idempotency-Key", "key-1")));
        ApiInvoker.Response replayed = expect(202, call(withHeader(post("/v1/tasks", body), "Idempotency-Key", "key-1")));
        assertEquals("true", replayed.header("Idempotent-Replayed"));
        assertEquals(first.header("Location"), replayed.header("Location"));

        expectProblem(422, "idempotency-key-reused", call(withHeader(
                post("/v1/tasks", "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1}}"), "Idempotency-Key", "key-1")));

        expect(204, call(request("DELETE", first.header("Location"))));
        expectProblem(409, "idempotency-key-used", call(withHeader(post("/v1/tasks", body), "Idempotency-Key", "key-1")));
    }

    @Test
    @Order(3)
    void createRefusalsAre400And413Problems() {
        expectProblem(400, "invalid-body", call(post("/v1/tasks", "{not json")));
        expectProblem(400, "invalid-body", call(post("/v1/tasks", "[]")));
        expectProblem(400, "invalid-request", call(post("/v1/tasks", "{\"type\":\"demo.nope\"}")));
        expectProblem(400, "invalid-request", call(post("/v1/tasks", "{\"type\":\"report.stock\",\"parameters\":{}}")));
        expectProblem(400, "invalid-idempotency-key", call(withHeader(
                post("/v1/tasks", "{\"type\":\"demo.fail\"}"), "Idempotency-Key", "has space")));
        String large = "{\"type\":\"demo.fail\",\"description\":\"" + "x".repeat(64 * 1024) + "\"}";
        ApiInvoker.Response tooLarge = expectProblem(413, "body-too-large", call(post("/v1/tasks", large)));
        assertEquals(65536L, tooLarge.json().longValue("maxBytes"));
    }

    @Test
    @Order(4)
    void createOverTheOwnersLimitIs429WithRetryAfter() {
        Map<String, String> environment = new LinkedHashMap<>(cloud.environment("ApiFunction"));
        environment.put("MAX_ACTIVE_TASKS_PER_OWNER", "1");
        ApiInvoker limited = new ApiInvoker(new ApiHandler(environment));
        expect(202, call(limited, post("/v1/tasks", "{\"type\":\"demo.fail\"}")));
        ApiInvoker.Response refused = expectProblem(429, "concurrency-limit-exceeded",
                call(limited, post("/v1/tasks", "{\"type\":\"demo.fail\"}")));
        assertEquals(1L, refused.json().longValue("limit"));
        assertEquals(1L, refused.json().longValue("active"));
        assertEquals(String.valueOf(refused.json().longValue("retryAfter")), refused.header("Retry-After"));
    }

    @Test
    @Order(5)
    void createWhenTheQueueIsUnreachableIs503AndStoresNothing() {
        Map<String, String> environment = new LinkedHashMap<>(cloud.environment("ApiFunction"));
        environment.put("WORK_QUEUE_URL", cloud.queueUrl() + "-missing");
        ApiInvoker broken = new ApiInvoker(new ApiHandler(environment));
        expectProblem(503, "queue-unavailable", call(broken, post("/v1/tasks", "{\"type\":\"demo.fail\"}")));
        assertEquals(0, cloud.taskCount());
    }

    @Test
    @Order(5)
    void everyOperationAnswers503WhenTheStoreThrottlesPastItsRetries() {
        Map<String, String> environment = new LinkedHashMap<>(cloud.environment("ApiFunction"));
        environment.put("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
        environment.put(dev.longhaul.aws.FaultInjector.VARIABLE, "dynamodb.throttle=1");
        ApiInvoker throttled = new ApiInvoker(new ApiHandler(environment));
        String id = "06h31yfgp4kpzrwbbhxqd0mswd0t5svfd4fg";
        expectProblem(503, "service-unavailable", call(throttled, post("/v1/tasks", "{\"type\":\"demo.fail\"}")));
        expectProblem(503, "service-unavailable", call(throttled, request("GET", "/v1/tasks")));
        expectProblem(503, "service-unavailable", call(throttled, request("GET", "/v1/tasks/" + id)));
        expectProblem(503, "service-unavailable", call(throttled, request("GET", "/v1/tasks/" + id + "/result")));
        expectProblem(503, "service-unavailable", call(throttled, request("DELETE", "/v1/tasks/" + id)));
        expectProblem(503, "service-unavailable", call(throttled, request("POST", "/v1/tasks/" + id + "/cancel")));
        expectProblem(503, "service-unavailable",
                call(throttled, post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/hook\"}")));
        expectProblem(503, "service-unavailable", call(throttled, request("GET", "/v1/webhooks")));
        expectProblem(503, "service-unavailable", call(throttled, request("DELETE", "/v1/webhooks/" + id)));
        expectProblem(503, "service-unavailable", call(throttled, patch("/v1/tasks/" + id, "{\"access\":[]}")));
        expectProblem(503, "service-unavailable", call(throttled, post("/v1/schedules",
                "{\"rate\":\"1 hour\",\"task\":{\"type\":\"demo.fail\"}}")));
        expectProblem(503, "service-unavailable", call(throttled, request("GET", "/v1/schedules")));
        expectProblem(503, "service-unavailable", call(throttled, request("GET", "/v1/schedules/" + id)));
        expectProblem(503, "service-unavailable", call(throttled, request("DELETE", "/v1/schedules/" + id)));
        assertEquals(0, cloud.itemCount());
    }

    /** The request schema accepts exactly what the handler accepts. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":900,\"steps\":100}}",
        "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1.0}}",
        "{\"type\":\"demo.fail\",\"parameters\":null,\"description\":null}",
        "{\"type\":\"demo.fail\",\"parameters\":{\"message\":\"no\"},\"description\":\"d\"}",
        "{\"type\":\"report.stock\",\"parameters\":{\"rows\":10000000,\"format\":\"csv\",\"seed\":-9223372036854775808}}",
        "{\"type\":\"demo.sleep\"}",
        "{\"type\":\"demo.sleep\",\"parameters\":null}",
        "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":901}}",
        "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1.5}}",
        "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1,\"steps\":0}}",
        "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1,\"extra\":1}}",
        "{\"type\":\"demo.sleep\",\"parameters\":[]}",
        "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1},\"priority\":9}",
        "{\"type\":\"demo.fail\",\"parameters\":{\"message\":7}}",
        "{\"type\":\"report.stock\",\"parameters\":{\"rows\":0}}",
        "{\"type\":\"report.stock\",\"parameters\":{\"rows\":1,\"format\":\"xml\"}}",
        "{\"type\":\"report.stock\",\"parameters\":{\"rows\":1,\"seed\":9223372036854775808}}",
        "{\"type\":42}",
        "{\"parameters\":{\"seconds\":1}}",
        "{\"type\":\"demo.fail\",\"description\":7}",
        "{\"type\":\"demo.fail\",\"callbackUrl\":null}",
        "{\"type\":\"demo.fail\",\"callbackUrl\":[]}",
        "{\"type\":\"demo.fail\",\"callbackUrl\":\"not a url\"}",
    })
    @Order(6)
    void requestBodySchemaAgreesWithTheHandler(String body) {
        Object schema = OpenApiDocument.map(OpenApiDocument.map(OpenApiDocument.map(
                DOCUMENT.find("POST", "/v1/tasks").orElseThrow().definition().get("requestBody"))
                .get("content")).get("application/json")).get("schema");
        boolean documentedValid = DOCUMENT.validator().isValid(schema, Json.parse(body));
        ApiInvoker.Response response = call(post("/v1/tasks", body));
        assertEquals(documentedValid ? 202 : 400, response.status(),
                body + " -> " + response.body() + " schema errors " + DOCUMENT.validator().validate(schema, Json.parse(body)));
    }

    @Test
    @Order(7)
    void descriptionLongerThanTheDocumentedMaximumIsRefused() {
        Object schema = DOCUMENT.validator().resolve("#/components/schemas/TaskDescription");
        assertTrue(DOCUMENT.validator().isValid(schema, "x".repeat(1024)));
        assertFalse(DOCUMENT.validator().isValid(schema, "x".repeat(1025)));
        expect(202, call(post("/v1/tasks", "{\"type\":\"demo.fail\",\"description\":\"" + "x".repeat(1024) + "\"}")));
        expectProblem(400, "invalid-request",
                call(post("/v1/tasks", "{\"type\":\"demo.fail\",\"description\":\"" + "x".repeat(1025) + "\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k", "7f0c2a6e-4d0b-4c9e-9a51-3b1f7e2d8c44", "~!\"#$%&'()*+,-./:;<=>?@[]^_`{|}",
        "", "has space", "tab\tkey", "ключ", "x"})
    @Order(8)
    void idempotencyKeySchemaAgreesWithTheHandler(String key) {
        String k = key.equals("x") ? "x".repeat(256) : key;
        Map<String, Object> parameter = DOCUMENT.deref(Map.of("$ref", "#/components/parameters/IdempotencyKey"));
        boolean documentedValid = DOCUMENT.validator().isValid(parameter.get("schema"), k);
        ApiInvoker.Response response = call(withHeader(post("/v1/tasks", "{\"type\":\"demo.fail\"}"), "Idempotency-Key", k));
        assertEquals(documentedValid ? 202 : 400, response.status(), "key [" + k + "] -> " + response.body());
    }

    @Test
    @Order(9)
    void listAnswers200PagesAndFilters() {
        for (int i = 0; i < 3; i++) {
            expect(202, call(post("/v1/tasks", "{\"type\":\"demo.fail\"}")));
        }
        failedTask();
        ApiInvoker.Response first = expect(200, call(withQuery(request("GET", "/v1/tasks"), Map.of("pageSize", "2"))));
        assertEquals(2, first.json().list("tasks").size());
        String token = first.json().string("nextPageToken");
        assertNotNull(token);
        ApiInvoker.Response second = expect(200, call(withQuery(request("GET", "/v1/tasks"),
                Map.of("pageSize", "2", "pageToken", token))));
        assertEquals(2, second.json().list("tasks").size());
        expect(200, call(withQuery(request("GET", "/v1/tasks"), Map.of("status", "failed", "type", "demo.sleep",
                "createdAfter", "2020-01-01T00:00:00Z", "createdBefore", "2999-01-01T00:00:00+01:00"))));
        expect(200, call(request("GET", "/v1/tasks")));
    }

    /** The query parameter schemas accept exactly what the handler accepts. */
    @ParameterizedTest
    @ValueSource(strings = {"status=queued", "status=done", "type=demo.sleep", "type=" + "t", "pageSize=1",
        "pageSize=100", "pageSize=0", "pageSize=101", "pageSize=ten", "createdAfter=2026-11-25T08:00:00Z",
        "createdAfter=2026-11-25T08:00:00.5+02:00", "createdBefore=yesterday", "createdBefore=2026-11-25",
        "limit=3", "pageToken=forged.token"})
    @Order(10)
    void listQuerySchemaAgreesWithTheHandler(String query) {
        String name = query.substring(0, query.indexOf('='));
        String value = query.substring(query.indexOf('=') + 1);
        OpenApiDocument.Operation list = DOCUMENT.find("GET", "/v1/tasks").orElseThrow();
        Map<String, Object> parameter = list.parameters().stream()
                .filter(p -> p.get("in").equals("query") && p.get("name").equals(name)).findFirst().orElse(null);
        boolean documentedValid = parameter != null && !name.equals("pageToken")
                && DOCUMENT.validator().isValid(parameter.get("schema"), queryValue(parameter.get("schema"), value));
        ApiInvoker.Response response = call(withQuery(request("GET", "/v1/tasks"), Map.of(name, value)));
        assertEquals(documentedValid ? 200 : 400, response.status(), query + " -> " + response.body());
        if (!documentedValid) {
            expectProblem(400, "invalid-request", response);
        }
    }

    @Test
    @Order(11)
    void getAnswers200303And304AndHonoursPrefer() {
        String queued = createdTaskId();
        ApiInvoker.Response q = expect(200, call(request("GET", "/v1/tasks/" + queued)));
        assertNotNull(q.header("Retry-After"));
        expect(304, call(withHeader(request("GET", "/v1/tasks/" + queued), "If-None-Match", q.header("ETag"))));
        expect(304, call(withHeader(request("GET", "/v1/tasks/" + queued), "If-None-Match", "*")));
        ApiInvoker.Response waited = expect(200, call(withHeader(request("GET", "/v1/tasks/" + queued), "Prefer", "wait=0")));
        assertEquals("wait=0", waited.header("Preference-Applied"));

        expect(200, call(request("GET", "/v1/tasks/" + runningTask().id())));
        expect(200, call(request("GET", "/v1/tasks/" + cancelRequestedTask().id())));
        expect(200, call(request("GET", "/v1/tasks/" + cancelledTask().id())));
        expect(303, call(request("GET", "/v1/tasks/" + notifiedTask().id())));
        Task failed = failedTask();
        ApiInvoker.Response capped = expect(200, call(withHeader(request("GET", "/v1/tasks/" + failed.id()), "Prefer",
                "respond-async, wait=99")));
        assertEquals("wait=10", capped.header("Preference-Applied"));

        Task succeeded = succeededTask(Duration.ofHours(1));
        ApiInvoker.Response done = expect(303, call(request("GET", "/v1/tasks/" + succeeded.id())));
        ApiInvoker.Response unredirected = expect(200, call(withQuery(request("GET", "/v1/tasks/" + succeeded.id()),
                Map.of("redirect", "false"))));
        assertEquals("succeeded", unredirected.json().string("status"));
        ApiInvoker.Response notModified = expect(304, call(withHeader(withHeader(request("GET", "/v1/tasks/" + succeeded.id()),
                "If-None-Match", "W/" + done.header("ETag")), "Prefer", "wait=1")));
        assertEquals(done.header("Location"), notModified.header("Location"));
    }

    @Test
    @Order(12)
    void getAnswers404And410() {
        expectProblem(404, "task-not-found", call(request("GET", "/v1/tasks/" + TaskIds.create().newId())));
        expectProblem(404, "task-not-found", call(request("GET", "/v1/tasks/not-a-task-id")));
        expectProblem(410, "task-expired", call(request("GET", "/v1/tasks/" + succeededTask(Duration.ofSeconds(-1)).id())));
    }

    @Test
    @Order(13)
    void resultAnswers200302409404And410() {
        String done = succeededTask(Duration.ofHours(1)).id();
        expect(302, call(request("GET", "/v1/tasks/" + done + "/result")));
        expect(200, call(withQuery(request("GET", "/v1/tasks/" + done + "/result"), Map.of("redirect", "false"))));
        ApiInvoker.Response notReady = expectProblem(409, "result-not-ready",
                call(request("GET", "/v1/tasks/" + createdTaskId() + "/result")));
        assertNotNull(notReady.header("Retry-After"));
        ApiInvoker.Response failed = expectProblem(409, "task-failed",
                call(request("GET", "/v1/tasks/" + failedTask().id() + "/result")));
        assertEquals("upstream-refused", failed.json().object("error").string("code"));
        expectProblem(409, "task-cancelled", call(request("GET", "/v1/tasks/" + cancelledTask().id() + "/result")));
        expectProblem(404, "task-not-found", call(request("GET", "/v1/tasks/" + TaskIds.create().newId() + "/result")));
        expectProblem(410, "task-expired",
                call(request("GET", "/v1/tasks/" + succeededTask(Duration.ofSeconds(-1)).id() + "/result")));
    }

    @Test
    @Order(14)
    void cancelAnswers200202409404And410() {
        String queued = createdTaskId();
        ApiInvoker.Response cancelled = expect(200, call(request("POST", "/v1/tasks/" + queued + "/cancel")));
        assertEquals("cancelled", cancelled.json().string("status"));
        expect(200, call(request("POST", "/v1/tasks/" + queued + "/cancel")));

        String running = runningTask().id();
        ApiInvoker.Response requested = expect(202, call(request("POST", "/v1/tasks/" + running + "/cancel")));
        assertEquals(Boolean.TRUE, requested.json().map().get("cancelRequested"));
        expect(202, call(request("POST", "/v1/tasks/" + running + "/cancel")));

        expectProblem(409, "task-finished", call(request("POST", "/v1/tasks/" + failedTask().id() + "/cancel")));
        expectProblem(404, "task-not-found", call(request("POST", "/v1/tasks/" + TaskIds.create().newId() + "/cancel")));
        expectProblem(410, "task-expired",
                call(request("POST", "/v1/tasks/" + succeededTask(Duration.ofSeconds(-1)).id() + "/cancel")));
    }

    @Test
    @Order(15)
    void deleteAnswers204Then404() {
        String id = runningTask().id();
        expect(204, call(request("DELETE", "/v1/tasks/" + id)));
        expectProblem(404, "task-not-found", call(request("DELETE", "/v1/tasks/" + id)));
        expectProblem(404, "task-not-found", call(request("GET", "/v1/tasks/" + id)));
    }

    @Test
    @Order(16)
    void everyOperationAnswers401WithoutASubject() {
        for (OpenApiDocument.Operation operation : DOCUMENT.operations()) {
            String path = operation.pathTemplate().replace("{id}", SampleEvents.SAMPLE_TASK_ID);
            Map<String, Object> event = request(operation.method().toUpperCase(Locale.ROOT), path);
            OpenApiDocument.map(event.get("requestContext")).remove("authorizer");
            ApiInvoker.Response response = expectProblem(401, "unauthorized", call(event));
            assertEquals("Bearer", response.header("WWW-Authenticate"));
        }
    }

    @Test
    @Order(17)
    void internalErrorConformsOnEveryOperation() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream("not an event".getBytes(StandardCharsets.UTF_8)), out, null);
        JsonObject response = JsonObject.of(Json.parseObject(out.toString(StandardCharsets.UTF_8)));
        int status = response.longValue("statusCode").intValue();
        assertEquals(500, status);
        for (OpenApiDocument.Operation operation : DOCUMENT.operations()) {
            assertEquals(List.of(), CONFORMANCE.check(operation, status, response.object("headers").map(),
                    response.string("body")));
        }
    }

    @Test
    @Order(18)
    void webhooksAnswer201200204400404And413() {
        ApiInvoker hooks = privateTargetsApi();
        ApiInvoker.Response created = expect(201, call(hooks, post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/all\"}")));
        assertTrue(created.json().string("secret").startsWith("whsec_"));
        expect(201, call(hooks, post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/failed\",\"events\":[\"task.failed\"]}")));
        ApiInvoker.Response listed = expect(200, call(hooks, request("GET", "/v1/webhooks")));
        assertEquals(2, listed.json().list("webhooks").size());
        assertFalse(listed.body().contains("whsec_"), "a listing never shows a secret");

        expect(204, call(hooks, request("DELETE", created.header("Location"))));
        expectProblem(404, "webhook-not-found", call(hooks, request("DELETE", created.header("Location"))));
        expectProblem(404, "webhook-not-found", call(hooks, request("DELETE", "/v1/webhooks/not-an-id")));

        expectProblem(400, "invalid-body", call(hooks, post("/v1/webhooks", "{")));
        expectProblem(400, "invalid-request", call(hooks, post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[]}")));
        expectProblem(400, "webhook-target-refused", call(post("/v1/webhooks", "{\"url\":\"http://example.com/hook\"}")));
        ApiInvoker.Response tooLarge = expectProblem(413, "body-too-large",
                call(hooks, post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/" + "x".repeat(16 * 1024) + "\"}")));
        assertEquals(16384L, tooLarge.json().longValue("maxBytes"));
    }

    @Test
    @Order(19)
    void webhookOverTheLimitIs409() {
        ApiInvoker hooks = privateTargetsApi();
        for (int i = 0; i < 25; i++) {
            expect(201, call(hooks, post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/h" + i + "\"}")));
        }
        ApiInvoker.Response refused = expectProblem(409, "webhook-limit-reached",
                call(hooks, post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/one-more\"}")));
        assertEquals(25L, refused.json().longValue("limit"));
    }

    /** The webhook request schema accepts exactly what the handler accepts (private targets allowed). */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"url\":\"http://127.0.0.1:9/a\"}",
        "{\"url\":\"http://127.0.0.1:9/a\",\"events\":null}",
        "{\"url\":\"http://127.0.0.1:9/a\",\"events\":[\"task.succeeded\",\"task.cancelled\"]}",
        "{\"url\":\"http://127.0.0.1:9/a\",\"events\":[]}",
        "{\"url\":\"http://127.0.0.1:9/a\",\"events\":[\"task.started\"]}",
        "{\"url\":\"http://127.0.0.1:9/a\",\"events\":\"task.failed\"}",
        "{\"url\":\"http://127.0.0.1:9/a\",\"secret\":\"mine\"}",
        "{\"url\":5}",
        "{\"url\":null}",
        "{}",
        "{\"url\":\"not a url\"}",
        "{\"url\":\"relative/path\"}",
    })
    @Order(20)
    void webhookRequestSchemaAgreesWithTheHandler(String body) {
        Object schema = OpenApiDocument.map(OpenApiDocument.map(OpenApiDocument.map(
                DOCUMENT.find("POST", "/v1/webhooks").orElseThrow().definition().get("requestBody"))
                .get("content")).get("application/json")).get("schema");
        boolean documentedValid = DOCUMENT.validator().isValid(schema, Json.parse(body));
        ApiInvoker.Response response = call(privateTargetsApi(), post("/v1/webhooks", body));
        assertEquals(documentedValid ? 201 : 400, response.status(), body + " -> " + response.body());
    }

    @Test
    @Order(21)
    void createWithACallbackUrlShowsItsSecretOnlyInTheCreateAnswer() {
        ApiInvoker hooks = privateTargetsApi();
        String body = "{\"type\":\"demo.fail\",\"callbackUrl\":\"http://127.0.0.1:9/callback\"}";
        ApiInvoker.Response created = expect(202, call(hooks, withHeader(post("/v1/tasks", body), "Idempotency-Key", "cb-1")));
        String secret = created.json().object("callback").string("secret");
        ApiInvoker.Response replayed = expect(202, call(hooks, withHeader(post("/v1/tasks", body), "Idempotency-Key", "cb-1")));
        assertEquals(secret, replayed.json().object("callback").string("secret"));
        ApiInvoker.Response read = expect(200, call(hooks, request("GET", created.header("Location"))));
        assertFalse(read.json().has("callback"));

        expectProblem(400, "webhook-target-refused",
                call(post("/v1/tasks", "{\"type\":\"demo.fail\",\"callbackUrl\":\"http://example.com/callback\"}")));
        expectProblem(400, "invalid-request", call(post("/v1/tasks", "{\"type\":\"demo.fail\",\"callbackUrl\":7}")));
    }

    @Test
    @Order(22)
    void taskTypesAnswer200Then304ForTheirETag() {
        ApiInvoker.Response listed = expect(200, call(request("GET", "/v1/task-types")));
        assertEquals(List.of("demo.sleep", "demo.fail", "report.stock", "batch"),
                listed.json().list("types").stream().map(t -> ((Map<?, ?>) t).get("type")).toList());
        ApiInvoker.Response notModified = expect(304,
                call(withHeader(request("GET", "/v1/task-types"), "If-None-Match", listed.header("ETag"))));
        assertEquals(listed.header("ETag"), notModified.header("ETag"));
    }

    @Test
    @Order(23)
    void sharedTasksAnswer200ToTheirReadersAnd403ToTheirChanges() {
        ApiInvoker.Response created = expect(202, call(post("/v1/tasks",
                "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1},\"name\":\"n\",\"queue\":\"imports\","
                        + "\"object\":{\"order\":7},\"access\":[\"user-bob\"]}")));
        String id = created.json().string("id");
        assertEquals(List.of("user-bob"), created.json().list("access"));
        assertEquals(1L, created.json().longValue("queuePosition"));
        ApiInvoker.Response read = expect(200, call(as("user-bob", request("GET", "/v1/tasks/" + id))));
        assertEquals(List.of(), read.json().list("access"), "a reader is not shown the other grants");
        expectProblem(404, "task-not-found", call(as("user-carol", request("GET", "/v1/tasks/" + id))));
        ApiInvoker.Response shared = expect(200, call(as("user-bob",
                withQuery(request("GET", "/v1/tasks"), Map.of("sharedWithMe", "true")))));
        assertEquals(1, shared.json().list("tasks").size());
        expect(200, call(withQuery(request("GET", "/v1/tasks"), Map.of("queue", "imports"))));

        expectProblem(403, "forbidden", call(as("user-bob", request("POST", "/v1/tasks/" + id + "/cancel"))));
        expectProblem(403, "forbidden", call(as("user-bob", request("DELETE", "/v1/tasks/" + id))));
        expectProblem(403, "forbidden", call(as("user-bob", patch("/v1/tasks/" + id, "{\"access\":[]}"))));
        expectProblem(400, "invalid-request", call(patch("/v1/tasks/" + id, "{\"access\":\"user-bob\"}")));
        expectProblem(400, "invalid-body", call(patch("/v1/tasks/" + id, "{")));
        expectProblem(404, "task-not-found", call(patch("/v1/tasks/" + TaskIds.create().newId(), "{\"access\":[]}")));
        expectProblem(410, "task-expired",
                call(patch("/v1/tasks/" + succeededTask(Duration.ofSeconds(-1)).id(), "{\"access\":[]}")));
        ApiInvoker.Response changed = expect(200, call(patch("/v1/tasks/" + id, "{\"access\":[]}")));
        assertEquals(List.of(), changed.json().list("access"));
        expectProblem(404, "task-not-found", call(as("user-bob", request("GET", "/v1/tasks/" + id))));
    }

    @Test
    @Order(24)
    void schedulesAnswer201200204400404And409() {
        String body = "{\"cron\":\"0 3 * * *\",\"timezone\":\"Europe/Madrid\","
                + "\"task\":{\"type\":\"report.stock\",\"parameters\":{\"rows\":10}}}";
        ApiInvoker.Response created = expect(201, call(post("/v1/schedules", body)));
        String location = created.header("Location");
        assertEquals("/v1/schedules/" + created.json().string("id"), location);
        expect(200, call(request("GET", location)));
        assertEquals(1, expect(200, call(request("GET", "/v1/schedules"))).json().list("schedules").size());
        expectProblem(404, "schedule-not-found", call(as("user-bob", request("GET", location))));
        expect(204, call(request("DELETE", location)));
        expectProblem(404, "schedule-not-found", call(request("DELETE", location)));
        expectProblem(404, "schedule-not-found", call(request("GET", location)));
        expectProblem(400, "invalid-body", call(post("/v1/schedules", "{")));
        ApiInvoker.Response invalid = expectProblem(400, "invalid-request", call(post("/v1/schedules",
                "{\"rate\":\"1 hour\",\"task\":{\"type\":\"report.stock\",\"parameters\":{\"rows\":0}}}")));
        assertTrue(invalid.body().contains("task.parameters.rows"), invalid.body());
        for (int i = 0; i < 25; i++) {
            expect(201, call(post("/v1/schedules", body)));
        }
        expectProblem(409, "schedule-limit-exceeded", call(post("/v1/schedules", body)));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyDocumentedStatusWasExercised() {
        Set<String> unseen = new TreeSet<>(CONFORMANCE.unseen());
        unseen.removeAll(NOT_PRODUCIBLE);
        assertEquals(Set.of(), unseen, "documented statuses no test produced (run the whole class)");
    }

    // --- requests

    /** The handler as the local cloud runs it: webhook and callback targets may be private. */
    private static synchronized ApiInvoker privateTargetsApi() {
        if (privateTargetsApi == null) {
            Map<String, String> environment = new LinkedHashMap<>(cloud.environment("ApiFunction"));
            environment.put("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
            privateTargetsApi = new ApiInvoker(new ApiHandler(environment));
        }
        return privateTargetsApi;
    }

    private static Map<String, Object> request(String method, String path) {
        Map<String, Object> event = SampleEvents.load("api-get-task.json");
        event.put("rawPath", path);
        event.put("routeKey", method + " " + path);
        event.remove("pathParameters");
        Map<String, Object> context = OpenApiDocument.map(event.get("requestContext"));
        context.put("routeKey", method + " " + path);
        Map<String, Object> http = OpenApiDocument.map(context.get("http"));
        http.put("method", method);
        http.put("path", path);
        return event;
    }

    private static Map<String, Object> post(String path, String body) {
        Map<String, Object> event = request("POST", path);
        event.put("body", body);
        return event;
    }

    private static Map<String, Object> patch(String path, String body) {
        Map<String, Object> event = request("PATCH", path);
        event.put("body", body);
        return event;
    }

    /** The same request, from another subject. */
    private static Map<String, Object> as(String subject, Map<String, Object> event) {
        Map<String, Object> claims = OpenApiDocument.map(OpenApiDocument.map(OpenApiDocument.map(
                OpenApiDocument.map(event.get("requestContext")).get("authorizer")).get("jwt")).get("claims"));
        claims.put("sub", subject);
        return event;
    }

    private static Map<String, Object> withHeader(Map<String, Object> event, String name, String value) {
        OpenApiDocument.map(event.get("headers")).put(name.toLowerCase(Locale.ROOT), value);
        return event;
    }

    private static Map<String, Object> withQuery(Map<String, Object> event, Map<String, String> query) {
        event.put("queryStringParameters", new LinkedHashMap<>(query));
        return event;
    }

    private static Object queryValue(Object schema, String value) {
        Object type = DOCUMENT.deref(schema).get("type");
        return "integer".equals(type) && value.matches("-?[0-9]{1,18}") ? Long.parseLong(value) : value;
    }

    // --- responses

    private static ApiInvoker.Response call(Map<String, Object> event) {
        return call(api, event);
    }

    /** Invokes the handler and fails unless the response conforms to the document. */
    private static ApiInvoker.Response call(ApiInvoker invoker, Map<String, Object> event) {
        ApiInvoker.Response response = invoker.invoke(event);
        Map<String, Object> http = OpenApiDocument.map(OpenApiDocument.map(event.get("requestContext")).get("http"));
        String method = (String) http.get("method");
        String path = (String) event.get("rawPath");
        List<String> violations = CONFORMANCE.check(method, path, response.status(), response.headers(), response.body());
        assertEquals(List.of(), violations, method + " " + path + " answered " + response.status() + " "
                + response.headers() + " " + abbreviated(response.body()));
        return response;
    }

    private static ApiInvoker.Response expect(int status, ApiInvoker.Response response) {
        assertEquals(status, response.status(), abbreviated(response.body()));
        return response;
    }

    private static ApiInvoker.Response expectProblem(int status, String code, ApiInvoker.Response response) {
        expect(status, response);
        assertEquals(code, response.json().string("code"));
        return response;
    }

    private static String abbreviated(String body) {
        return body == null || body.length() < 600 ? body : body.substring(0, 600) + "...";
    }

    // --- tasks in each state, written straight to the table

    private static String createdTaskId() {
        return expect(202, call(post("/v1/tasks", "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1}}")))
                .json().string("id");
    }

    private static Task runningTask() {
        Instant now = Instant.now();
        Task task = Task.create(TaskIds.create().newId(), "user-alice", "demo.sleep", "state fixture",
                Map.of("seconds", 10L, "steps", 10L), now);
        store.create(task);
        Task started = task.start("token", now, now.plusSeconds(60));
        assertTrue(store.replace(started));
        Task progressed = started.progress(40, now.plusSeconds(4), now.plusSeconds(60));
        assertTrue(store.replace(progressed));
        return progressed;
    }

    private static Task cancelRequestedTask() {
        Task running = runningTask();
        Task requested = running.requestCancel(Instant.now(), Duration.ofHours(1));
        assertTrue(store.replace(requested));
        return requested;
    }

    private static Task cancelledTask() {
        Instant now = Instant.now();
        Task task = Task.create(TaskIds.create().newId(), "user-alice", "demo.fail", null, Map.of("message", "m"), now);
        store.create(task);
        Task cancelled = task.requestCancel(now, Duration.ofHours(1));
        assertTrue(store.replace(cancelled));
        return cancelled;
    }

    private static Task succeededTask(Duration retention) {
        Task done = runningTask().succeed(new TaskResult("application/json", 17), Instant.now(), retention);
        assertTrue(store.replace(done));
        return done;
    }

    private static Task failedTask() {
        Task failed = runningTask().fail(new TaskError("upstream-refused", "warehouse API said no"),
                Instant.now(), Duration.ofHours(1));
        assertTrue(store.replace(failed));
        return failed;
    }

    /** A succeeded task with webhook deliveries recorded, one answered and one not. */
    private static Task notifiedTask() {
        Task t = succeededTask(Duration.ofHours(1));
        Instant now = Instant.now();
        Task notified = new Task(t.id(), t.owner(), t.type(), t.status(), t.progress(), t.description(), t.parameters(),
                t.createdAt(), t.updatedAt(), t.startedAt(), t.finishedAt(), t.expiresAt(), t.eta(), t.attempts(),
                t.executions(), t.error(), t.result(), t.revision(), t.cancelRequested(), t.runToken(), t.leaseUntil(),
                List.of(new Notification(now, "task.succeeded", TaskIds.create().newId(), 1, 200, "delivered"),
                        new Notification(now, "task.succeeded", "callback", 1, null, "retrying"),
                        new Notification(now, "task.succeeded", "callback", 2, 503, "refused")));
        store.delete(t);
        store.create(notified);
        return notified;
    }
}
