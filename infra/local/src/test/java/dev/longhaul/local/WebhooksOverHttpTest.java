package dev.longhaul.local;

import static dev.longhaul.local.TaskContractOverHttpTest.assertProblem;
import static dev.longhaul.local.TaskContractOverHttpTest.awaitTask;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.WebhookReceiver;
import dev.longhaul.core.webhook.WebhookVerificationException;
import dev.longhaul.core.webhook.WebhookVerifier;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end through the local cloud: subscriptions over HTTP, terminal transitions
 * made by the worker, the table's stream driving the notifier, deliveries through the SQS event
 * source into a real receiver on loopback (which the template's local parameter defaults allow).
 */
class WebhooksOverHttpTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static WebhookReceiver receiver;
    private final URI base = TestClouds.longhaul().baseUrl();

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void succeededFailedAndCancelledTasksAreDeliveredSignedToTheirOwnerOnly() {
        String owner = "hooked-" + System.nanoTime();
        String token = Http.token(owner);
        String path = "/" + owner;
        String secret = subscribe(token, receiver.url(path));
        HttpResponse<String> listed = Http.get(base.resolve("/v1/webhooks"), token);
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(listed.body().contains(receiver.url(path)), "the owner's subscription is listed: " + listed.body());
        // a second owner's subscription must see none of the first owner's events
        String otherPath = "/other-" + owner;
        subscribe(Http.token("other-" + owner), receiver.url(otherPath));

        URI succeeded = create(token, "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1}}");
        URI failed = create(token, "{\"type\":\"demo.fail\",\"parameters\":{\"message\":\"no luck\"}}");
        URI cancelled = create(token, "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":60,\"steps\":60}}");
        awaitTask(cancelled, token, t -> "running".equals(t.get("status")));
        assertEquals(202, Http.postJson(URI.create(cancelled + "/cancel"), token, "").statusCode());

        // delivery is at least once: receivers drop duplicates by webhook-id, and so does this test
        await("three deliveries", () -> distinctIds(receiver.received(path)) >= 3);
        LifecycleSuite.sleep(500);
        List<WebhookReceiver.Received> deliveries = receiver.received(path);
        assertEquals(3, distinctIds(deliveries), deliveries.toString());
        Map<String, String> events = new HashMap<>();
        WebhookVerifier verifier = WebhookVerifier.create(secret);
        for (WebhookReceiver.Received delivery : deliveries) {
            assertDoesNotThrow(() -> verifier.verify(delivery.headers(), delivery.body()), delivery.toString());
            Map<String, Object> payload = Json.parseObject(delivery.body());
            Map<?, ?> data = (Map<?, ?>) payload.get("data");
            events.put((String) data.get("id"), (String) payload.get("type"));
            assertTrue(!delivery.body().contains("parameters") && !delivery.body().contains("no luck\",\"steps"),
                    "no parameters in a payload: " + delivery.body());
            // a tampered body or signature does not verify
            assertThrows(WebhookVerificationException.class,
                    () -> verifier.verify(delivery.headers(), delivery.body().replace("task.", "tasq.")));
            Map<String, String> forged = new HashMap<>(delivery.headers());
            forged.put("webhook-signature", "v1," + "A".repeat(43) + "=");
            assertThrows(WebhookVerificationException.class, () -> verifier.verify(forged, delivery.body()));
        }
        assertEquals(Map.of(id(succeeded), "task.succeeded", id(failed), "task.failed", id(cancelled), "task.cancelled"),
                events);
        assertEquals(List.of(), receiver.received(otherPath));

        // each attempt is recorded on the task
        Map<String, Object> task = awaitTask(succeeded, token, t -> !((List<?>) t.get("notifications")).isEmpty());
        Map<?, ?> attempt = (Map<?, ?>) ((List<?>) task.get("notifications")).get(0);
        assertEquals("delivered", attempt.get("outcome"), task.toString());
        assertEquals(204, ((Number) attempt.get("statusCode")).intValue());
    }

    @Test
    void aFailingReceiverIsRetriedWithTheSameWebhookId() {
        String owner = "flaky-" + System.nanoTime();
        String token = Http.token(owner);
        String path = "/" + owner;
        receiver.answer(path, 500);
        subscribe(token, receiver.url(path));
        URI task = create(token, "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1}}");
        // the first retry waits WebhookBackoffBaseSeconds (TestClouds sets 1 s)
        await("a retried delivery", () -> receiver.received(path).size() >= 2);
        List<WebhookReceiver.Received> attempts = receiver.received(path);
        assertEquals(attempts.get(0).headers().get("webhook-id"), attempts.get(1).headers().get("webhook-id"));
        Map<String, Object> recorded = awaitTask(task, token, t -> ((List<?>) t.get("notifications")).size() >= 2);
        List<?> notifications = (List<?>) recorded.get("notifications");
        assertEquals("retrying", ((Map<?, ?>) notifications.get(0)).get("outcome"), recorded.toString());
        assertEquals(500, ((Number) ((Map<?, ?>) notifications.get(0)).get("statusCode")).intValue());
        receiver.answer(path, 204);
    }

    @Test
    void refusedTargetsAreRejectedAtSubscriptionTime() {
        String token = Http.token("refused-" + System.nanoTime());
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://[fd00:ec2::254]/", "ftp://127.0.0.1/",
                "http://user:pw@127.0.0.1/hook")) {
            HttpResponse<String> response = Http.postJson(base.resolve("/v1/webhooks"), token,
                    "{\"url\":\"" + url + "\",\"events\":[\"task.succeeded\"]}");
            assertProblem(response, 400, "webhook-target-refused");
        }
        HttpResponse<String> list = Http.get(base.resolve("/v1/webhooks"), token);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(!list.body().contains("169.254"), "nothing was stored: " + list.body());
    }

    private String subscribe(String token, String url) {
        HttpResponse<String> created = Http.postJson(base.resolve("/v1/webhooks"), token,
                "{\"url\":\"" + url + "\",\"events\":[\"task.succeeded\",\"task.failed\",\"task.cancelled\"]}");
        assertEquals(201, created.statusCode(), created.body());
        String secret = (String) Json.parseObject(created.body()).get("secret");
        assertNotNull(secret, created.body());
        return secret;
    }

    private URI create(String token, String body) {
        HttpResponse<String> created = Http.postJson(base.resolve("/v1/tasks"), token, body);
        assertEquals(202, created.statusCode(), created.body());
        return base.resolve(created.headers().firstValue("location").orElseThrow());
    }

    private static long distinctIds(List<WebhookReceiver.Received> deliveries) {
        return deliveries.stream().map(d -> d.headers().get("webhook-id")).distinct().count();
    }

    private static String id(URI task) {
        String path = task.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " did not happen within " + LIMIT);
            }
            LifecycleSuite.sleep(100);
        }
    }
}
