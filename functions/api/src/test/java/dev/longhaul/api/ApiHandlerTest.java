package dev.longhaul.api;

import static dev.longhaul.api.ProblemResponses.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.testing.SampleEvents;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.Message;

/** The API handler driven by the sample events in events/, against DynamoDB Local, ElasticMQ and S3Proxy. */
class ApiHandlerTest {
    private static TestCloud cloud;
    private static ApiInvoker api;
    private static DynamoDbTaskStore store;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        api = new ApiInvoker(new ApiHandler(cloud.environment("ApiFunction")));
        store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    /** SQS refuses a body holding U+FFFE or U+FFFF raw; both are valid text in a description or a string parameter. */
    @Test
    void noncharactersInTheDescriptionAndParametersAreQueuedIntact() {
        String text = "odd \uFFFE and \uFFFF";
        ApiInvoker.Response response = api.invoke(SampleEvents.withBody("api-create-task.json",
                Json.write(Map.of("type", "demo.fail", "description", text, "parameters", Map.of("message", text)))));

        assertEquals(202, response.status(), response.body());
        List<Message> messages = cloud.drain();
        assertEquals(1, messages.size());
        Task queued = TaskCodec.fromJson(Json.parseObject(messages.get(0).body()));
        assertEquals(text, queued.description());
        assertEquals(text, queued.parameters().get("message"));
    }

    @Test
    void createAnswers202WithStatusUrlAndStoresAndEnqueuesTheTask() {
        ApiInvoker.Response response = api.invoke("api-create-task.json");

        assertEquals(202, response.status());
        JsonObject body = response.json();
        String id = body.string("id");
        assertTrue(TaskIds.isWellFormed(id), id);
        assertEquals("/v1/tasks/" + id, response.header("Location"));
        assertEquals("/v1/tasks/" + id, response.header("Content-Location"));
        assertEquals("application/json", response.header("Content-Type"));
        assertTrue(Integer.parseInt(response.header("Retry-After")) >= 1);
        assertEquals("queued", body.string("status"));
        assertEquals("demo.sleep", body.string("type"));
        assertEquals("nightly warm-up", body.string("description"));
        assertNull(body.map().get("progress"));
        assertEquals(0L, body.object("parameters").longValue("seconds"));
        assertEquals("/v1/tasks/" + id, body.object("links").string("self"));
        assertEquals("/v1/tasks/" + id + "/cancel", body.object("links").string("cancel"));
        assertFalse(body.has("owner"), "the owner is not part of the representation");

        Task stored = store.find(id).orElseThrow();
        assertEquals("user-alice", stored.owner());
        assertEquals(1, cloud.taskCount());
        List<Message> messages = cloud.drain();
        assertEquals(1, messages.size());
        assertEquals(id, TaskCodec.fromJson(Json.parseObject(messages.get(0).body())).id());
    }

    @Test
    void createAcceptsBase64EncodedBodies() {
        Map<String, Object> event = SampleEvents.load("api-create-task.json");
        event.put("body", Base64.getEncoder().encodeToString(((String) event.get("body")).getBytes(StandardCharsets.UTF_8)));
        event.put("isBase64Encoded", true);
        assertEquals(202, api.invoke(event).status());
    }

    @Test
    void bodyThatIsNotJsonIs400AndStoresNothing() {
        ApiInvoker.Response response = api.invoke("api-create-not-json.json");
        assertProblem(response, 400, "invalid-body");
        assertEquals("body", firstErrorField(response));
        assertNothingStoredOrEnqueued();
    }

    @Test
    void unknownTypeIs400NamingTheField() {
        ApiInvoker.Response response = api.invoke("api-create-unknown-type.json");
        assertProblem(response, 400, "invalid-request");
        assertEquals("type", firstErrorField(response));
        assertTrue(response.json().string("detail").contains("type"));
        assertNothingStoredOrEnqueued();
    }

    @Test
    void invalidParametersAre400NamingEveryField() {
        ApiInvoker.Response response = api.invoke("api-create-invalid-parameters.json");
        assertProblem(response, 400, "invalid-request");
        List<Object> errors = response.json().list("errors");
        assertEquals(List.of("parameters.rows", "parameters.format"),
                errors.stream().map(e -> ((Map<?, ?>) e).get("field")).toList());
        assertNothingStoredOrEnqueued();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "null", "{\"type\":\"demo.sleep\",\"parameters\":[]}",
            "{\"type\":42}", "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":\"ten\"}}",
            "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":901}}",
            "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1},\"priority\":9}",
            "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1},\"description\":7}", ""})
    void malformedBodiesAre400AndStoreNothing(String body) {
        ApiInvoker.Response response = api.invoke(SampleEvents.withBody("api-create-task.json", body));
        assertEquals(400, response.status(), response.body());
        assertEquals("application/problem+json", response.header("Content-Type"));
        assertNothingStoredOrEnqueued();
    }

    @Test
    void bodyOver64KibIs413AndStoresNothing() {
        String padding = "x".repeat(64 * 1024);
        String body = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1},\"description\":\"" + padding + "\"}";
        ApiInvoker.Response response = api.invoke(SampleEvents.withBody("api-create-task.json", body));
        assertProblem(response, 413, "body-too-large");
        assertNothingStoredOrEnqueued();
    }

    /**
     * API Gateway's JWT authorizer never lets such a request through; the function refuses it all
     * the same (a route deployed without the authorizer, say), so the event is made here rather
     * than kept in events/, where every file is something AWS really sends.
     */
    @Test
    @SuppressWarnings("unchecked")
    void missingSubjectIs401AndStoresNothing() {
        Map<String, Object> event = SampleEvents.load("api-create-task.json");
        ((Map<String, Object>) event.get("requestContext")).remove("authorizer");
        ApiInvoker.Response response = api.invoke(event);
        assertProblem(response, 401, "unauthorized");
        assertEquals("Bearer", response.header("WWW-Authenticate"));
        assertNothingStoredOrEnqueued();
    }

    @Test
    void getWhileQueuedAnswers200WithRetryAfter() {
        String id = createdTaskId();
        ApiInvoker.Response response = api.invokeForTask("api-get-task.json", id);
        assertEquals(200, response.status());
        assertEquals("queued", response.json().string("status"));
        assertNotNull(response.header("Retry-After"));
    }

    @Test
    void getOfAnotherOwnersTaskIs404() {
        String id = createdTaskId();
        ApiInvoker.Response response = api.invokeForTask("api-get-task-other-owner.json", id);
        assertProblem(response, 404, "task-not-found");
    }

    @Test
    void getOfUnknownOrMalformedIdIs404() {
        assertProblem(api.invoke("api-get-task.json"), 404, "task-not-found");
        assertProblem(api.invoke("api-get-task-malformed-id.json"), 404, "task-not-found");
    }

    @Test
    void getOfSucceededTaskIs303ToTheResult() {
        Task task = succeededTask(Duration.ofHours(1));
        ApiInvoker.Response response = api.invokeForTask("api-get-task.json", task.id());
        assertEquals(303, response.status());
        assertEquals("/v1/tasks/" + task.id() + "/result", response.header("Location"));
        assertEquals("succeeded", response.json().string("status"));
        assertEquals(100L, response.json().longValue("progress"));
        assertEquals("/v1/tasks/" + task.id() + "/result", response.json().object("links").string("result"));
    }

    @Test
    void getOfFailedTaskIs200WithTheError() {
        Task task = failedTask();
        ApiInvoker.Response response = api.invokeForTask("api-get-task.json", task.id());
        assertEquals(200, response.status());
        assertEquals("failed", response.json().string("status"));
        assertEquals("upstream-refused", response.json().object("error").string("code"));
        assertNull(response.header("Retry-After"));
    }

    @Test
    void resultWhileQueuedIs409WithRetryAfter() {
        String id = createdTaskId();
        ApiInvoker.Response response = api.invokeForTask("api-get-result.json", id);
        assertProblem(response, 409, "result-not-ready");
        assertNotNull(response.header("Retry-After"));
    }

    @Test
    void resultOfFailedTaskCarriesTheTaskError() {
        Task task = failedTask();
        ApiInvoker.Response response = api.invokeForTask("api-get-result.json", task.id());
        assertProblem(response, 409, "task-failed");
        assertEquals("upstream-refused", response.json().object("error").string("code"));
        assertEquals("warehouse API said no", response.json().object("error").string("message"));
    }

    @Test
    void resultOfSucceededTaskIs302ToAShortLivedPresignedUrl() {
        Task task = succeededTask(Duration.ofHours(1));
        ApiInvoker.Response response = api.invokeForTask("api-get-result.json", task.id());
        assertEquals(302, response.status());
        assertEquals("no-store", response.header("Cache-Control"));
        URI location = URI.create(response.header("Location"));
        String query = location.getRawQuery();
        assertTrue(location.getPath().endsWith("/results/" + task.id()), location.toString());
        assertTrue(query.contains("X-Amz-Expires=300"), query);
        assertTrue(query.contains("X-Amz-Signature="), query);
    }

    @Test
    void resultWithRedirectFalseIs200WithTheUrlAndItsExpiry() {
        Task task = succeededTask(Duration.ofHours(1));
        Map<String, Object> event = SampleEvents.forTask("api-get-result.json", task.id());
        event.put("queryStringParameters", Map.of("redirect", "false"));
        Instant before = Instant.now();
        ApiInvoker.Response response = api.invoke(event);
        assertEquals(200, response.status());
        assertEquals("no-store", response.header("Cache-Control"));
        assertNull(response.header("Location"));
        URI url = URI.create(response.json().string("url"));
        assertTrue(url.getPath().endsWith("/results/" + task.id()), url.toString());
        assertTrue(url.getRawQuery().contains("X-Amz-Expires=300"), url.toString());
        Instant expiresAt = Instant.parse(response.json().string("expiresAt"));
        assertFalse(expiresAt.isAfter(Instant.now().plusSeconds(300)), expiresAt.toString());
        assertTrue(expiresAt.isAfter(before.plusSeconds(298)), expiresAt.toString());
    }

    @Test
    void resultWithRedirectFalseOfARunningTaskIsStillA409() {
        String id = createdTaskId();
        Map<String, Object> event = SampleEvents.forTask("api-get-result.json", id);
        event.put("queryStringParameters", Map.of("redirect", "false"));
        assertProblem(api.invoke(event), 409, "result-not-ready");
    }

    @Test
    void getOfSucceededTaskWithRedirectFalseIs200WithTheTask() {
        Task task = succeededTask(Duration.ofHours(1));
        Map<String, Object> event = SampleEvents.forTask("api-get-task.json", task.id());
        event.put("queryStringParameters", Map.of("redirect", "false"));
        ApiInvoker.Response response = api.invoke(event);
        assertEquals(200, response.status());
        assertNull(response.header("Location"));
        assertEquals("succeeded", response.json().string("status"));
        assertEquals("/v1/tasks/" + task.id() + "/result", response.json().object("links").string("result"));
        event.put("queryStringParameters", Map.of("redirect", "true"));
        assertEquals(303, api.invoke(event).status());
    }

    @Test
    void presignedUrlNeverOutlivesTheTask() {
        Task task = succeededTask(Duration.ofSeconds(90));
        ApiInvoker.Response response = api.invokeForTask("api-get-result.json", task.id());
        assertEquals(302, response.status());
        String query = URI.create(response.header("Location")).getRawQuery();
        int expires = Integer.parseInt(query.replaceAll(".*X-Amz-Expires=(\\d+).*", "$1"));
        assertTrue(expires <= 90 && expires >= 80, "expires " + expires);
    }

    @Test
    void expiredTaskIs410OnBothRoutesBeforeTtlDeletesIt() {
        Task task = succeededTask(Duration.ofSeconds(-1));
        assertTrue(store.find(task.id()).isPresent(), "the item still exists");
        assertProblem(api.invokeForTask("api-get-task.json", task.id()), 410, "task-expired");
        assertProblem(api.invokeForTask("api-get-result.json", task.id()), 410, "task-expired");
    }

    @Test
    void unknownRouteIs404Problem() {
        Map<String, Object> event = SampleEvents.load("api-get-task.json");
        event.put("rawPath", "/v1/elsewhere");
        assertProblem(api.invoke(event), 404, "route-not-found");
    }

    private static String createdTaskId() {
        ApiInvoker.Response created = api.invoke("api-create-task.json");
        assertEquals(202, created.status());
        return created.json().string("id");
    }

    private static Task runningTask() {
        Instant now = Instant.now();
        Task task = Task.create(TaskIds.create().newId(), "user-alice", "demo.sleep", null,
                Map.of("seconds", 1L, "steps", 1L), now);
        store.create(task);
        Task running = task.start("token", now, now.plusSeconds(60));
        assertTrue(store.replace(running));
        return running;
    }

    private static Task succeededTask(Duration retention) {
        Instant now = Instant.now();
        Task done = runningTask().succeed(new TaskResult("application/json", 17), now, retention);
        assertTrue(store.replace(done));
        return done;
    }

    private static Task failedTask() {
        Task failed = runningTask().fail(new TaskError("upstream-refused", "warehouse API said no"),
                Instant.now(), Duration.ofHours(1));
        assertTrue(store.replace(failed));
        return failed;
    }

    private static String firstErrorField(ApiInvoker.Response response) {
        return (String) ((Map<?, ?>) response.json().list("errors").get(0)).get("field");
    }

    private static void assertNothingStoredOrEnqueued() {
        assertEquals(0, cloud.itemCount(), "no task stored");
        assertEquals(0, cloud.queueDepth(), "nothing enqueued");
    }
}
