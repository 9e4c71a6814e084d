package dev.longhaul.core.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.task.Notification;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.testing.InMemoryDeliveryQueue;
import dev.longhaul.core.testing.InMemoryNotificationLog;
import dev.longhaul.core.testing.InMemorySubscriptionStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.RecordingWebhookSender;
import dev.longhaul.core.testing.SequenceIds;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** From a terminal transition to queued deliveries, and each delivery attempt, on in-memory ports. */
class DeliveryFlowTest {
    private static final Duration RETENTION = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final InMemorySubscriptionStore subscriptions = new InMemorySubscriptionStore();
    private final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue();
    private final InMemoryTaskStore tasks = new InMemoryTaskStore();
    private final RecordingWebhookSender sender = new RecordingWebhookSender();
    private final SequenceIds ids = new SequenceIds();
    private final NotifyTaskFinished notify = new NotifyTaskFinished(subscriptions, queue);
    private final DeliverWebhook deliver = new DeliverWebhook(subscriptions, WebhookUseCasesTest.EXAMPLE_ONLY, sender,
            new InMemoryNotificationLog(tasks), RetrySchedule.standard(), clock);

    private Subscription subscribe(String owner, String url, WebhookEvent... events) {
        Subscription s = new Subscription(ids.newId(), owner, url, Set.of(events), WebhookSecret.generate(),
                clock.instant(), null);
        subscriptions.add(s, 25);
        return s;
    }

    private Task running(String owner) {
        Task queued = Task.create(ids.newId(), owner, "demo.sleep", "nightly", Map.of("secret", "param"),
                clock.instant());
        return queued.start("token", clock.instant(), clock.instant().plusSeconds(60));
    }

    @Test
    void aTerminalTransitionQueuesOneDeliveryPerInterestedSubscriptionOfTheOwner() {
        Subscription all = subscribe("alice", "https://a.example.com/all", WebhookEvent.values());
        subscribe("alice", "https://a.example.com/failures", WebhookEvent.TASK_FAILED);
        subscribe("bob", "https://b.example.com/all", WebhookEvent.values());
        Task before = running("alice");
        Task after = before.succeed(new TaskResult("text/csv", 10), clock.instant(), RETENTION);

        List<Delivery> deliveries = notify.execute(before, after);

        assertEquals(1, deliveries.size());
        Delivery d = deliveries.get(0);
        assertEquals(all.id(), d.subscriptionId());
        assertEquals("alice", d.owner());
        assertEquals(WebhookEvent.TASK_SUCCEEDED, d.event());
        assertEquals("msg_" + after.id() + "_" + all.id(), d.webhookId());
        assertEquals(deliveries, queue.queued());
    }

    @Test
    void thePayloadCarriesMetadataAndLinksButNeverParametersOrResult() {
        subscribe("alice", "https://a.example.com/all", WebhookEvent.values());
        Task before = running("alice");
        Task after = before.succeed(new TaskResult("text/csv", 10), clock.instant(), RETENTION);
        JsonObject payload = JsonObject.of(Json.parseObject(notify.execute(before, after).get(0).payload()));

        assertEquals("task.succeeded", payload.string("type"));
        assertEquals(after.finishedAt(), payload.instant("timestamp"));
        JsonObject data = payload.object("data");
        assertEquals(after.id(), data.string("id"));
        assertEquals("succeeded", data.string("status"));
        assertEquals("demo.sleep", data.string("type"));
        assertEquals("/v1/tasks/" + after.id(), data.object("links").string("self"));
        assertEquals("/v1/tasks/" + after.id() + "/result", data.object("links").string("result"));
        assertFalse(data.map().containsKey("parameters"));
        assertFalse(data.map().containsKey("result"));
        assertFalse(data.map().containsKey("owner"));
        assertFalse(payload.toString().contains("param"));
    }

    @Test
    void failedAndCancelledTasksEmitTheirEvents() {
        subscribe("alice", "https://a.example.com/all", WebhookEvent.values());
        Task before = running("alice");
        Task failed = before.fail(new TaskError("boom", "it broke"), clock.instant(), RETENTION);
        assertEquals(WebhookEvent.TASK_FAILED, notify.execute(before, failed).get(0).event());
        JsonObject data = JsonObject.of(Json.parseObject(queue.queued().get(0).payload())).object("data");
        assertEquals("boom", data.object("error").string("code"));
        assertNull(data.object("links").string("result"));

        Task queued = Task.create(ids.newId(), "alice", "demo.sleep", null, Map.of(), clock.instant());
        Task cancelled = queued.requestCancel(clock.instant(), RETENTION);
        assertEquals(WebhookEvent.TASK_CANCELLED, notify.execute(queued, cancelled).get(0).event());
    }

    @Test
    void nonTerminalChangesAndChangesOfFinishedTasksQueueNothing() {
        subscribe("alice", "https://a.example.com/all", WebhookEvent.values());
        Task queued = Task.create(ids.newId(), "alice", "demo.sleep", null, Map.of(), clock.instant());
        Task running = queued.start("t", clock.instant(), clock.instant().plusSeconds(60));
        Task done = running.succeed(new TaskResult("text/plain", 1), clock.instant(), RETENTION);
        assertTrue(notify.execute(queued, running).isEmpty());
        assertTrue(notify.execute(done, done).isEmpty(), "a notification appended to a finished task");
        assertTrue(notify.execute(null, done).isEmpty());
        assertTrue(queue.queued().isEmpty());
    }

    @Test
    void aTaskCallbackGetsItsOwnDelivery() {
        Task before = running("alice");
        subscriptions.addCallback(new Subscription(Delivery.CALLBACK, "alice", "https://cb.example.com/x",
                EnumSet.allOf(WebhookEvent.class), WebhookSecret.generate(), clock.instant(), before.id()),
                clock.instant().plus(Duration.ofDays(1)));
        Task after = before.fail(new TaskError("boom", "it broke"), clock.instant(), RETENTION);
        List<Delivery> deliveries = notify.execute(before, after);
        assertEquals(1, deliveries.size());
        assertTrue(deliveries.get(0).isCallback());
        assertEquals("msg_" + after.id() + "_callback", deliveries.get(0).webhookId());
    }

    @Test
    void aDeliveryIsSignedPostedAndRecorded() throws WebhookVerificationException {
        Subscription s = subscribe("alice", "https://a.example.com/all", WebhookEvent.values());
        Task before = running("alice");
        Task after = before.succeed(new TaskResult("text/csv", 10), clock.instant(), RETENTION);
        tasks.put(after);
        Delivery d = notify.execute(before, after).get(0);

        DeliverWebhook.Result result = deliver.execute(d, 1);

        assertEquals(DeliverWebhook.Outcome.DELIVERED, result.outcome());
        assertEquals(200, result.statusCode());
        assertTrue(result.recorded());
        RecordingWebhookSender.Sent sent = sender.sent().get(0);
        assertEquals("https://a.example.com/all", sent.target().uri().toString());
        assertEquals(d.payload(), sent.body());
        assertEquals("application/json", sent.headers().get("content-type"));
        assertEquals(d.webhookId(), sent.headers().get("webhook-id"));
        new WebhookVerifier(s.secret(), clock, WebhookVerifier.DEFAULT_TOLERANCE).verify(sent.headers(), sent.body());
        assertEquals(List.of(new Notification(clock.instant(), "task.succeeded", s.id(), 1, 200, "delivered")),
                tasks.get(after.id()).notifications());
    }

    @Test
    void failuresAreRetriedOnTheScheduleThenGivenUp() {
        Subscription s = subscribe("alice", "https://a.example.com/all", WebhookEvent.values());
        Task before = running("alice");
        Task after = before.succeed(new TaskResult("text/csv", 10), clock.instant(), RETENTION);
        tasks.put(after);
        Delivery d = notify.execute(before, after).get(0);
        sender.answering(500, null, 404, 503, 500, 500);

        List<Duration> waits = new java.util.ArrayList<>();
        for (int attempt = 1; attempt < RetrySchedule.DEFAULT_MAX_ATTEMPTS; attempt++) {
            DeliverWebhook.Result r = deliver.execute(d, attempt);
            assertEquals(DeliverWebhook.Outcome.RETRY, r.outcome());
            waits.add(r.retryIn());
        }
        DeliverWebhook.Result last = deliver.execute(d, RetrySchedule.DEFAULT_MAX_ATTEMPTS);
        assertEquals(DeliverWebhook.Outcome.GAVE_UP, last.outcome());

        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(8),
                Duration.ofMinutes(32), Duration.ofMinutes(128)), waits);
        List<Notification> recorded = tasks.get(after.id()).notifications();
        assertEquals(6, recorded.size());
        assertEquals(List.of("retrying", "retrying", "retrying", "retrying", "retrying", "failed"),
                recorded.stream().map(Notification::outcome).toList());
        assertEquals(500, recorded.get(0).statusCode());
        assertNull(recorded.get(1).statusCode(), "no answer: no status");
        assertEquals(List.of(1, 2, 3, 4, 5, 6), recorded.stream().map(Notification::attempt).toList());
        assertTrue(recorded.stream().allMatch(n -> n.subscriptionId().equals(s.id())));
        // every attempt carries the same webhook-id and a fresh signature
        assertEquals(1, sender.sent().stream().map(x -> x.headers().get("webhook-id")).distinct().count());
    }

    @Test
    void theDefaultScheduleMakesAtLeastFiveAttemptsOverAtLeastAnHour() {
        RetrySchedule schedule = RetrySchedule.standard();
        assertTrue(schedule.maxAttempts() >= 5);
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < schedule.maxAttempts(); attempt++) {
            total = total.plus(schedule.delayAfter(attempt));
        }
        assertTrue(total.compareTo(Duration.ofHours(1)) >= 0, total.toString());
        assertEquals(Duration.ofHours(12), schedule.delayAfter(30), "capped at SQS's longest visibility");
        assertEquals(Duration.ZERO, new RetrySchedule(3, Duration.ZERO).delayAfter(2));
    }

    @Test
    void aRemovedSubscriptionDropsItsPendingDeliveries() {
        Subscription s = subscribe("alice", "https://a.example.com/all", WebhookEvent.values());
        Task before = running("alice");
        Task after = before.succeed(new TaskResult("text/csv", 10), clock.instant(), RETENTION);
        tasks.put(after);
        Delivery d = notify.execute(before, after).get(0);
        subscriptions.remove("alice", s.id());

        assertEquals(DeliverWebhook.Outcome.DROPPED, deliver.execute(d, 1).outcome());
        assertTrue(sender.sent().isEmpty());
        assertTrue(tasks.get(after.id()).notifications().isEmpty());
    }

    @Test
    void aDeliveryNamingAnotherOwnersSubscriptionIsDropped() {
        Subscription bobs = subscribe("bob", "https://b.example.com/all", WebhookEvent.values());
        Delivery forged = new Delivery("msg_x", "t", "alice", bobs.id(), WebhookEvent.TASK_SUCCEEDED, "{}");
        assertEquals(DeliverWebhook.Outcome.DROPPED, deliver.execute(forged, 1).outcome());
        assertTrue(sender.sent().isEmpty());
    }

    @Test
    void aTargetRefusedAtSendTimeIsRecordedAndRetriedWithoutSending() {
        Subscription s = new Subscription(ids.newId(), "alice", "https://rebound.internal/", Set.of(WebhookEvent.values()),
                WebhookSecret.generate(), clock.instant(), null);
        subscriptions.add(s, 25);
        Task before = running("alice");
        Task after = before.succeed(new TaskResult("text/csv", 10), clock.instant(), RETENTION);
        tasks.put(after);
        Delivery d = notify.execute(before, after).get(0);

        assertEquals(DeliverWebhook.Outcome.RETRY, deliver.execute(d, 1).outcome());
        assertTrue(sender.sent().isEmpty());
        assertEquals("refused", tasks.get(after.id()).notifications().get(0).outcome());
    }

    @Test
    void aDeletedTaskStillGetsItsDeliveryButNothingIsRecorded() {
        subscribe("alice", "https://a.example.com/all", WebhookEvent.values());
        Task before = running("alice");
        Task after = before.succeed(new TaskResult("text/csv", 10), clock.instant(), RETENTION);
        Delivery d = notify.execute(before, after).get(0);

        DeliverWebhook.Result result = deliver.execute(d, 1);
        assertEquals(DeliverWebhook.Outcome.DELIVERED, result.outcome());
        assertFalse(result.recorded());
    }

    @Test
    void deliveriesSurviveTheirQueueForm() {
        Delivery d = new Delivery("msg_1", "task", "alice", "sub", WebhookEvent.TASK_CANCELLED, "{\"a\":1}");
        assertEquals(d, Delivery.fromJson(Json.parseObject(Json.write(d.toJson()))));
        assertThrows(IllegalArgumentException.class, () -> Delivery.fromJson(Map.of("event", "task.failed")));
        assertThrows(IllegalArgumentException.class, () -> Delivery.fromJson(Map.of()));
        assertDoesNotThrow(() -> Delivery.fromJson(Json.parseObject(Json.write(d.toJson()))));
    }

    @Test
    void eventsMapFromTerminalStatusesOnly() {
        assertEquals(WebhookEvent.TASK_SUCCEEDED, WebhookEvent.forStatus(dev.longhaul.core.task.TaskStatus.SUCCEEDED));
        assertNull(WebhookEvent.forStatus(dev.longhaul.core.task.TaskStatus.RUNNING));
        assertEquals(WebhookEvent.TASK_CANCELLED, WebhookEvent.fromWire("task.cancelled"));
        assertNull(WebhookEvent.fromWire("TASK_CANCELLED"));
        assertEquals(Instant.parse("2026-03-01T10:00:00Z"), clock.instant());
    }
}
