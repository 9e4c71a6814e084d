package dev.longhaul.local;

import static dev.longhaul.local.TaskContractOverHttpTest.awaitTask;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.WebhookReceiver;
import dev.longhaul.core.webhook.WebhookVerifier;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Any identity a JWT can carry works, over real HTTP through the local cloud: tokens minted by
 * the {@code token} command for subjects of 2,043 and 10,000 characters (the first used to make
 * every create a 500, and 983 characters every subscription), through create, idempotent replay,
 * read, listing with page tokens, cancel, delete and webhooks, with a delivery signed for the
 * subscription and sent to it by the notifier and delivery functions.
 */
class LongSubjectsOverHttpTest {
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

    @ParameterizedTest
    @ValueSource(ints = {2_043, 10_000})
    void aSubjectOfAnyLengthCreatesListsCancelsDeletesAndSubscribes(int length) {
        String prefix = "long-" + System.nanoTime() + "-";
        String subject = prefix + "s".repeat(length - prefix.length());
        String token = CommandLine.token(new String[] {"token", subject, "--jwt-secret", TestClouds.JWT_SECRET}, Map.of());
        String path = "/long-" + length + "-" + System.nanoTime();

        HttpResponse<String> subscribed = Http.postJson(base.resolve("/v1/webhooks"), token,
                "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"task.failed\"]}");
        assertEquals(201, subscribed.statusCode(), subscribed.body());
        Map<String, Object> webhook = Json.parseObject(subscribed.body());
        HttpResponse<String> webhooks = Http.get(base.resolve("/v1/webhooks"), token);
        assertEquals(200, webhooks.statusCode(), webhooks.body());
        assertTrue(webhooks.body().contains((String) webhook.get("id")), webhooks.body());

        String failing = "{\"type\":\"demo.fail\",\"parameters\":{\"message\":\"long\"}}";
        HttpResponse<String> created = create(token, failing, "long-key");
        assertEquals(202, created.statusCode(), created.body());
        HttpResponse<String> replayed = create(token, failing, "long-key");
        assertEquals(202, replayed.statusCode(), replayed.body());
        assertEquals("true", replayed.headers().firstValue("idempotent-replayed").orElse(null));
        URI failed = base.resolve(created.headers().firstValue("location").orElseThrow());
        assertEquals(failed, base.resolve(replayed.headers().firstValue("location").orElseThrow()));
        awaitTask(failed, token, t -> "failed".equals(t.get("status")));

        // the notifier found the subscription of the long subject, and the delivery verifies
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (receiver.received(path).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("no delivery within " + LIMIT);
            }
            LifecycleSuite.sleep(100);
        }
        WebhookReceiver.Received delivery = receiver.received(path).get(0);
        assertDoesNotThrow(() -> WebhookVerifier.create((String) webhook.get("secret"))
                .verify(delivery.headers(), delivery.body()));

        HttpResponse<String> slow = create(token, "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":60,\"steps\":60}}",
                null);
        assertEquals(202, slow.statusCode(), slow.body());
        URI sleeping = base.resolve(slow.headers().firstValue("location").orElseThrow());
        HttpResponse<String> page1 = Http.get(base.resolve("/v1/tasks?pageSize=1"), token);
        assertEquals(200, page1.statusCode(), page1.body());
        String next = (String) Json.parseObject(page1.body()).get("nextPageToken");
        assertNotNull(next, page1.body());
        HttpResponse<String> page2 = Http.get(base.resolve("/v1/tasks?pageSize=1&pageToken="
                + URLEncoder.encode(next, StandardCharsets.UTF_8)), token);
        assertEquals(200, page2.statusCode(), page2.body());
        assertEquals(2, ids(page1).size() + ids(page2).size());
        assertTrue(ids(page2).contains(WebhooksOverHttpTest.id(failed)) || ids(page1).contains(WebhooksOverHttpTest.id(failed)), page2.body());

        HttpResponse<String> cancelled = Http.postJson(URI.create(sleeping + "/cancel"), token, "");
        assertTrue(cancelled.statusCode() == 200 || cancelled.statusCode() == 202, cancelled.body());
        awaitTask(sleeping, token, t -> "cancelled".equals(t.get("status")));
        assertEquals(204, Http.send(Http.request(sleeping, token).DELETE().build()).statusCode());
        assertEquals(404, Http.get(sleeping, token).statusCode());

        HttpResponse<String> unsubscribed = Http.send(Http.request(
                base.resolve("/v1/webhooks/" + webhook.get("id")), token).DELETE().build());
        assertEquals(204, unsubscribed.statusCode(), unsubscribed.body());
        assertEquals(List.of(), Json.parseObject(Http.get(base.resolve("/v1/webhooks"), token).body()).get("webhooks"));
    }

    private HttpResponse<String> create(String token, String body, String idempotencyKey) {
        return TaskContractOverHttpTest.create(base, token, body, idempotencyKey);
    }

    private static List<Object> ids(HttpResponse<String> page) {
        List<?> tasks = (List<?>) Json.parseObject(page.body()).get("tasks");
        return tasks.stream().map(t -> (Object) ((Map<?, ?>) t).get("id")).toList();
    }
}
