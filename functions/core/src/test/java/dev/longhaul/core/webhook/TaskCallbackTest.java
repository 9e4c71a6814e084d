package dev.longhaul.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.testing.InMemorySubscriptionStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.InMemoryWorkQueue;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import dev.longhaul.core.usecase.CreateTask;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code callbackUrl} on create: checked like a subscription, stored with the task or not at all. */
class TaskCallbackTest {
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final InMemoryTaskStore store = new InMemoryTaskStore(clock);
    private final InMemoryWorkQueue queue = new InMemoryWorkQueue();
    private final InMemorySubscriptionStore subscriptions = new InMemorySubscriptionStore();
    private final CreateTask create = new CreateTask(store, queue, JobRegistry.builtIn(), new SequenceIds(), clock, 0,
            new TaskCallbacks(subscriptions, WebhookUseCasesTest.EXAMPLE_ONLY));

    private static Map<String, Object> body(Object callbackUrl) {
        return Map.of("type", "demo.fail", "callbackUrl", callbackUrl);
    }

    @Test
    void aCallbackIsStoredAsAOneOffSubscriptionOfTheTask() {
        CreateTask.Created created = create.execute("alice", body("https://cb.example.com/done"), null);
        Subscription callback = created.callback();
        assertNotNull(callback);
        assertEquals(created.task().id(), callback.taskId());
        assertEquals("alice", callback.owner());
        assertEquals("https://cb.example.com/done", callback.url());
        assertTrue(callback.secret().startsWith("whsec_"));
        assertEquals(callback, subscriptions.findCallback(created.task().id()).orElseThrow());
        assertEquals(1, queue.enqueued().size());
    }

    @Test
    void withoutACallbackNothingIsStored() {
        CreateTask.Created created = create.execute("alice", Map.of("type", "demo.fail"), null);
        assertNull(created.callback());
        assertEquals(0, subscriptions.callbackCount());
    }

    @Test
    void aRefusedCallbackIsA400NamingCallbackUrlAndNothingIsCreated() {
        Problem p = assertThrows(ProblemException.class,
                () -> create.execute("alice", body("http://169.254.169.254/latest"), null)).problem();
        assertEquals(Problem.Kind.INVALID, p.kind());
        assertEquals("webhook-target-refused", p.code());
        assertEquals("callbackUrl", ((Map<?, ?>) ((List<?>) p.extensions().get("errors")).get(0)).get("field"));
        assertEquals(0, store.size());
        assertEquals(0, subscriptions.callbackCount());
        assertTrue(queue.enqueued().isEmpty());
    }

    @Test
    void aCallbackThatIsNotAStringIsAnInvalidField() {
        Problem p = assertThrows(ProblemException.class, () -> create.execute("alice", body(42L), null)).problem();
        assertEquals("invalid-request", p.code());
        assertEquals("callbackUrl must be a string", p.detail());
    }

    @Test
    void whenTheCallbackCannotBeStoredTheTaskIsUndoneAndNeverQueued() {
        subscriptions.failCallbacks(1);
        Problem p = assertThrows(ProblemException.class,
                () -> create.execute("alice", body("https://cb.example.com/done"), "key-1")).problem();
        assertEquals(Problem.Kind.UNAVAILABLE, p.kind());
        assertEquals(0, store.size());
        assertEquals(0, store.active("alice"));
        assertTrue(queue.enqueued().isEmpty());
        // the idempotency key was released with the task: the retry creates it
        assertNotNull(create.execute("alice", body("https://cb.example.com/done"), "key-1").callback());
    }

    @Test
    void whenTheEnqueueFailsTheCallbackGoesWithTheTask() {
        queue.failing(true);
        assertThrows(ProblemException.class, () -> create.execute("alice", body("https://cb.example.com/done"), null));
        assertEquals(0, store.size());
        assertEquals(0, subscriptions.callbackCount());
    }

    @Test
    void aReplayReturnsTheSameCallbackSecret() {
        CreateTask.Created first = create.execute("alice", body("https://cb.example.com/done"), "key-2");
        CreateTask.Created replay = create.execute("alice", body("https://cb.example.com/done"), "key-2");
        assertTrue(replay.replayed());
        assertEquals(first.callback().secret(), replay.callback().secret());
    }

    @Test
    void aDeploymentWithoutWebhooksRefusesTheField() {
        CreateTask plain = new CreateTask(store, queue, JobRegistry.builtIn(), new SequenceIds(), clock, 0);
        Problem p = assertThrows(ProblemException.class,
                () -> plain.execute("alice", body("https://cb.example.com/done"), null)).problem();
        assertEquals("callbackUrl is not supported by this deployment", p.detail());
    }
}
