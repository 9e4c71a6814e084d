package dev.longhaul.notifier;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.api.ApiHandler;
import dev.longhaul.api.ApiInvoker;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.testing.SampleEvents;
import dev.longhaul.core.testing.WebhookReceiver;
import dev.longhaul.core.webhook.WebhookVerificationException;
import dev.longhaul.core.webhook.WebhookVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end on the emulators, with a real HTTP receiver on loopback: subscriptions
 * through the API handler, terminal transitions in DynamoDB Local, its real stream read into the
 * notifier, deliveries through ElasticMQ (redrive to the dead-letter queue included) into the
 * delivery handler, and the attempts read back through {@code GET /v1/tasks/{id}}.
 */
class WebhookDeliveryEndToEndTest {
    private static final Duration RETENTION = Duration.ofHours(1);

    private static TestCloud cloud;
    private static EventSources sources;
    private static WebhookReceiver receiver;
    private static ApiInvoker api;
    private static ApiInvoker productionApi;
    private static TaskStreamHandler notifier;
    private static WebhookDeliveryHandler delivery;
    private static DynamoDbTaskStore store;
    private static int maxAttempts;

    /** The function's template environment, with loopback receivers allowed (as in the local cloud). */
    private static Map<String, String> local(String function, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(cloud.environment(function));
        env.put("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
        env.putAll(more);
        return env;
    }

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        sources = new EventSources(cloud);
        receiver = new WebhookReceiver();
        api = new ApiInvoker(new ApiHandler(local("ApiFunction", Map.of())));
        productionApi = new ApiInvoker(new ApiHandler(cloud.environment("ApiFunction")));
        notifier = new TaskStreamHandler(cloud.environment("NotifierFunction"));
        Map<String, String> deliveryEnv = local("WebhookDeliveryFunction", Map.of("WEBHOOK_BACKOFF_BASE_SECONDS", "0"));
        delivery = new WebhookDeliveryHandler(deliveryEnv);
        maxAttempts = Integer.parseInt(deliveryEnv.get("WEBHOOK_MAX_ATTEMPTS"));
        store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @BeforeEach
    void clean() {
        cloud.reset();
        sources.purgeWebhookQueues();
        receiver.clear();
    }

    private static Map<String, Object> asOwner(Map<String, Object> event, String owner) {
        Map<String, Object> copy = Json.parseObject(Json.write(event).replace("\"sub\":\"user-alice\"", "\"sub\":\"" + owner + "\""));
        return new LinkedHashMap<>(copy);
    }

    /** Subscribes through the API; returns the secret. */
    private static String subscribe(ApiInvoker through, String owner, String url, String events) {
        Map<String, Object> event = SampleEvents.withBody("api-create-webhook.json",
                "{\"url\":\"" + url + "\",\"events\":" + events + "}");
        ApiInvoker.Response response = through.invoke(asOwner(event, owner));
        assertEquals(201, response.status(), response.body());
        return response.json().string("secret");
    }

    private static String createTask(String owner) {
        ApiInvoker.Response response = api.invoke(asOwner(SampleEvents.load("api-create-task.json"), owner));
        assertEquals(202, response.status(), response.body());
        return response.json().string("id");
    }

    private static void finish(String id, boolean succeed) {
        Task queued = store.find(id).orElseThrow();
        Instant now = Instant.now();
        Task running = queued.start("token", now, now.plusSeconds(60));
        assertTrue(store.replace(running));
        Task done = succeed
                ? running.succeed(new TaskResult("application/json", 2), Instant.now(), RETENTION)
                : running.fail(new TaskError("demo-failure", "it failed on purpose"), Instant.now(), RETENTION);
        assertTrue(store.replace(done));
    }

    /** Feeds the stream records of these tasks to the notifier, then delivers until the queue is idle. */
    private static void notifyAndDeliver(String... taskIds) {
        Map<String, Object> response = EventSources.invoke(notifier, sources.streamEvent(Set.of(taskIds)));
        assertEquals(List.of(), EventSources.failures(response));
        while (!sources.pumpDeliveries(delivery).isEmpty()) {
            // each round is one attempt of every visible delivery
        }
    }

    private static JsonObject taskJson(String owner, String id) {
        ApiInvoker.Response response = api.invoke(asOwner(SampleEvents.forTask("api-get-task.json", id), owner));
        assertTrue(response.status() == 200 || response.status() == 303, response.body());
        return response.json();
    }

    @SuppressWarnings("unchecked")
    private static List<JsonObject> notifications(String owner, String id) {
        return taskJson(owner, id).list("notifications").stream()
                .map(n -> JsonObject.of((Map<String, Object>) n)).toList();
    }

    @Test
    void aSucceededTaskIsDeliveredSignedToItsOwnerOnlyAndRecorded() throws WebhookVerificationException {
        String aliceSecret = subscribe(api, "user-alice", receiver.url("/alice"), "[\"task.succeeded\"]");
        subscribe(api, "user-bob", receiver.url("/bob"), "[\"task.succeeded\",\"task.failed\",\"task.cancelled\"]");
        String id = createTask("user-alice");
        finish(id, true);

        notifyAndDeliver(id);

        assertEquals(List.of(), receiver.received("/bob"), "no owner receives another owner's events");
        List<WebhookReceiver.Received> got = receiver.received("/alice");
        assertEquals(1, got.size());
        WebhookReceiver.Received hook = got.get(0);
        WebhookVerifier verifier = WebhookVerifier.create(aliceSecret);
        verifier.verify(hook.headers(), hook.body());
        assertThrows(WebhookVerificationException.class,
                () -> verifier.verify(hook.headers(), hook.body().replace("succeeded", "failed")));
        Map<String, String> forged = new HashMap<>(hook.headers());
        forged.put("webhook-signature", "v1," + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(forged, hook.body()));
        assertEquals("application/json", hook.headers().get("content-type"));

        JsonObject payload = JsonObject.of(Json.parseObject(hook.body()));
        assertEquals("task.succeeded", payload.string("type"));
        assertEquals(id, payload.object("data").string("id"));
        assertEquals("/v1/tasks/" + id + "/result", payload.object("data").object("links").string("result"));
        assertFalse(payload.object("data").has("parameters"));
        assertFalse(payload.object("data").has("result"));

        List<JsonObject> recorded = notifications("user-alice", id);
        assertEquals(1, recorded.size());
        assertEquals("delivered", recorded.get(0).string("outcome"));
        assertEquals(204L, recorded.get(0).longValue("statusCode"));
        assertEquals("task.succeeded", recorded.get(0).string("event"));
        assertEquals(1L, recorded.get(0).longValue("attempt"));
        // appending the notification changed a finished task: its stream record queues nothing
        Map<String, Object> stream = sources.streamEvent(Set.of(id));
        List<?> records = (List<?>) stream.get("Records");
        Map<String, Object> append = new LinkedHashMap<>(Map.of("Records", List.of(records.get(records.size() - 1))));
        assertTrue(Json.write(append).contains("\"outcome\\\":\\\"delivered"), Json.write(append));
        assertEquals(List.of(), EventSources.failures(EventSources.invoke(notifier, append)));
        assertEquals(0, cloud.queueDepth(sources.webhookQueueUrl()));
        assertEquals(1, receiver.received("/alice").size());
    }

    @Test
    void failedAndCancelledTasksAreDeliveredToSubscriptionsThatWantThem() {
        subscribe(api, "user-alice", receiver.url("/failures"), "[\"task.failed\"]");
        subscribe(api, "user-alice", receiver.url("/cancels"), "[\"task.cancelled\"]");
        String failed = createTask("user-alice");
        finish(failed, false);
        String cancelled = createTask("user-alice");
        ApiInvoker.Response cancel = api.invoke(SampleEvents.forTask("api-cancel-task.json", cancelled));
        assertEquals(200, cancel.status(), cancel.body());

        notifyAndDeliver(failed, cancelled);

        List<WebhookReceiver.Received> failures = receiver.received("/failures");
        assertEquals(1, failures.size());
        JsonObject failure = JsonObject.of(Json.parseObject(failures.get(0).body()));
        assertEquals("task.failed", failure.string("type"));
        assertEquals("demo-failure", failure.object("data").object("error").string("code"));
        List<WebhookReceiver.Received> cancels = receiver.received("/cancels");
        assertEquals(1, cancels.size());
        assertEquals(cancelled, JsonObject.of(Json.parseObject(cancels.get(0).body())).object("data").string("id"));
        assertEquals("task.cancelled", JsonObject.of(Json.parseObject(cancels.get(0).body())).string("type"));
    }

    @Test
    void aFailingReceiverGetsEveryRetryThenTheDeliveryGoesToTheDeadLetterQueue() {
        receiver.answer("/down", 500);
        subscribe(api, "user-alice", receiver.url("/down"), "[\"task.succeeded\"]");
        String id = createTask("user-alice");
        finish(id, true);

        notifyAndDeliver(id);

        assertEquals(maxAttempts, receiver.received("/down").size());
        assertTrue(maxAttempts >= 5);
        assertEquals(1, receiver.received("/down").stream().map(r -> r.headers().get("webhook-id")).distinct().count(),
                "every attempt carries the same webhook-id");
        List<JsonObject> recorded = notifications("user-alice", id);
        assertEquals(maxAttempts, recorded.size());
        for (int i = 0; i < maxAttempts - 1; i++) {
            assertEquals("retrying", recorded.get(i).string("outcome"));
            assertEquals(500L, recorded.get(i).longValue("statusCode"));
            assertEquals(i + 1L, recorded.get(i).longValue("attempt"));
        }
        assertEquals("failed", recorded.get(maxAttempts - 1).string("outcome"));
        assertEquals(0, cloud.queueDepth(sources.webhookQueueUrl()));
        assertEquals(1, cloud.queueDepth(sources.webhookDeadLetterQueueUrl()));
    }

    @Test
    void aCallbackUrlIsAOneOffSubscriptionSignedWithItsOwnSecret() throws WebhookVerificationException {
        Map<String, Object> create = SampleEvents.withBody("api-create-task-with-callback.json",
                "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1},\"callbackUrl\":\""
                        + receiver.url("/callback") + "\"}");
        ApiInvoker.Response created = api.invoke(create);
        assertEquals(202, created.status(), created.body());
        String id = created.json().string("id");
        String secret = created.json().object("callback").string("secret");
        assertTrue(secret.startsWith("whsec_"));
        assertNull(taskJson("user-alice", id).map().get("callback"), "the secret is shown once");
        assertEquals(200, api.invoke(SampleEvents.forTask("api-cancel-task.json", id)).status());

        notifyAndDeliver(id);

        List<WebhookReceiver.Received> got = receiver.received("/callback");
        assertEquals(1, got.size());
        WebhookVerifier.create(secret).verify(got.get(0).headers(), got.get(0).body());
        assertEquals("callback", notifications("user-alice", id).get(0).string("subscriptionId"));
    }

    @Test
    void anUnsubscribedTargetReceivesNothingMore() {
        ApiInvoker.Response created = api.invoke(SampleEvents.withBody("api-create-webhook.json",
                "{\"url\":\"" + receiver.url("/gone") + "\"}"));
        String id = createTask("user-alice");
        finish(id, true);
        assertEquals(204, api.invoke(SampleEvents.forTask("api-delete-webhook.json", created.json().string("id"))).status());

        notifyAndDeliver(id);

        assertEquals(List.of(), receiver.received("/gone"));
        assertEquals(0, cloud.queueDepth(sources.webhookQueueUrl()));
    }

    @Test
    void loopbackTargetsAreRefusedAtSubscriptionTimeInProduction() {
        ApiInvoker.Response refused = productionApi.invoke(SampleEvents.withBody("api-create-webhook.json",
                "{\"url\":\"" + receiver.url("/alice") + "\"}"));
        assertEquals(400, refused.status());
        assertEquals("application/problem+json", refused.header("Content-Type"));
        assertEquals("webhook-target-refused", refused.json().string("code"));
        assertTrue(refused.body().contains("\"field\":\"url\""), refused.body());

        ApiInvoker.Response callback = productionApi.invoke(SampleEvents.withBody("api-create-task-with-callback.json",
                "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1},\"callbackUrl\":\"https://localhost/hook\"}"));
        assertEquals(400, callback.status());
        assertEquals("webhook-target-refused", callback.json().string("code"));
        assertTrue(callback.body().contains("\"field\":\"callbackUrl\""), callback.body());
        assertEquals(0, cloud.taskCount());
    }

    @Test
    void theStreamHandlerIgnoresInsertsBookkeepingAppendsAndRemovals() {
        subscribe(api, "user-alice", receiver.url("/alice"), "[\"task.succeeded\"]");
        Map<String, Object> response = EventSources.invoke(notifier, SampleEvents.load("dynamodb-ignored-changes.json"));
        assertEquals(List.of(), EventSources.failures(response));
        assertEquals(0, cloud.queueDepth(sources.webhookQueueUrl()));
    }

    @Test
    void theSampleTerminalTransitionQueuesADeliveryThatTheSampleShapeDescribes() {
        subscribe(api, "user-alice", receiver.url("/alice"), "[\"task.succeeded\"]");
        Map<String, Object> response = EventSources.invoke(notifier, SampleEvents.load("dynamodb-task-finished.json"));
        assertEquals(List.of(), EventSources.failures(response));
        assertEquals(1, cloud.queueDepth(sources.webhookQueueUrl()));
        // the sample task does not exist: delivered, but nothing to record on
        assertFalse(sources.pumpDeliveries(delivery).isEmpty());
        assertEquals(1, receiver.received("/alice").size());
        assertDoesNotThrow(() -> Json.parseObject(receiver.received("/alice").get(0).body()));
    }

    @Test
    void aPoisonDeliveryIsReportedAsFailed() {
        Map<String, Object> event = SampleEvents.load("sqs-webhook-delivery-batch.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) ((List<Object>) event.get("Records")).get(0);
        record.put("body", "not a delivery");
        assertEquals(List.of(record.get("messageId")), EventSources.failures(EventSources.invoke(delivery, event)));
    }

    @Test
    void theSampleDeliveryOfAnUnknownSubscriptionIsDropped() {
        Map<String, Object> response = EventSources.invoke(delivery, SampleEvents.load("sqs-webhook-delivery-batch.json"));
        assertEquals(List.of(), EventSources.failures(response));
    }
}
