package dev.longhaul.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.InMemorySubscriptionStore;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Subscribing, listing and unsubscribing on an in-memory store. */
class WebhookUseCasesTest {
    private static final InetAddress PUBLIC_ADDRESS = publicAddress();

    private static InetAddress publicAddress() {
        try {
            return InetAddress.getByAddress(new byte[] {93, (byte) 184, (byte) 216, 34});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Allows https targets on example.com only, as a stand-in for the DNS-resolving guard. */
    static final TargetGuard EXAMPLE_ONLY = url -> {
        if (url == null || !url.startsWith("https://") || !URI.create(url).getHost().endsWith("example.com")) {
            throw new TargetRefusedException("resolves to a private address, which is not allowed");
        }
        return new CheckedTarget(URI.create(url), List.of(PUBLIC_ADDRESS));
    };

    private final InMemorySubscriptionStore store = new InMemorySubscriptionStore();
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final SubscribeWebhook subscribe = new SubscribeWebhook(store, EXAMPLE_ONLY, new SequenceIds(), clock);
    private final ListWebhooks list = new ListWebhooks(store);
    private final UnsubscribeWebhook unsubscribe = new UnsubscribeWebhook(store);

    private static Problem problem(Runnable call) {
        return assertThrows(ProblemException.class, call::run).problem();
    }

    @Test
    void aSubscriptionIsStoredWithAFreshSecret() {
        Subscription s = subscribe.execute("alice", Json.parseObject(
                "{\"url\":\"https://hooks.example.com/a\",\"events\":[\"task.failed\",\"task.succeeded\"]}"));
        assertEquals("alice", s.owner());
        assertEquals("https://hooks.example.com/a", s.url());
        assertEquals(Set.of(WebhookEvent.TASK_SUCCEEDED, WebhookEvent.TASK_FAILED), s.events());
        assertEquals(List.of("task.succeeded", "task.failed"), s.eventNames());
        assertTrue(s.secret().startsWith("whsec_"));
        assertEquals(clock.instant(), s.createdAt());
        assertNull(s.taskId());
        assertEquals(List.of(s.withoutSecret()), list.execute("alice"), "listed without its secret");
        assertFalse(s.toPublicJson().containsKey("secret"));
        assertFalse(s.toString().contains(s.secret()));
    }

    @Test
    void withoutEventsEveryEventIsSubscribed() {
        Subscription s = subscribe.execute("alice", Map.of("url", "https://hooks.example.com/a"));
        assertEquals(Set.of(WebhookEvent.values()), s.events());
    }

    @Test
    void aRefusedTargetIsA400NamingTheUrl() {
        Problem p = problem(() -> subscribe.execute("alice", Map.of("url", "http://127.0.0.1/hook")));
        assertEquals(Problem.Kind.INVALID, p.kind());
        assertEquals("webhook-target-refused", p.code());
        assertEquals(List.of(Map.of("field", "url", "message", "resolves to a private address, which is not allowed")),
                p.extensions().get("errors"));
        assertTrue(list.execute("alice").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"task.failed\"", "[\"task.started\"]", "[1]", "[null]", "{}"})
    void aBadEventsListIsA400NamingEvents(String events) {
        Problem p = problem(() -> subscribe.execute("alice",
                Json.parseObject("{\"url\":\"https://hooks.example.com/a\",\"events\":" + events + "}")));
        assertEquals("invalid-request", p.code());
        assertEquals("events", ((Map<?, ?>) ((List<?>) p.extensions().get("errors")).get(0)).get("field"));
    }

    @Test
    void aMissingUrlAndUnknownFieldsAre400() {
        Problem missing = problem(() -> subscribe.execute("alice", Map.of()));
        assertEquals("url is required", missing.detail());
        Problem unknown = problem(() -> subscribe.execute("alice",
                Map.of("url", "https://hooks.example.com/a", "secret", "mine")));
        assertEquals("secret is not a known field", unknown.detail());
        Problem notString = problem(() -> subscribe.execute("alice", Map.of("url", 42L)));
        assertEquals("url must be a string", notString.detail());
    }

    @Test
    void anOwnerHasAtMost25() {
        for (int i = 0; i < SubscribeWebhook.MAX_PER_OWNER; i++) {
            subscribe.execute("alice", Map.of("url", "https://hooks.example.com/" + i));
        }
        Problem p = problem(() -> subscribe.execute("alice", Map.of("url", "https://hooks.example.com/x")));
        assertEquals(Problem.Kind.CONFLICT, p.kind());
        assertEquals("webhook-limit-reached", p.code());
        assertNotNull(subscribe.execute("bob", Map.of("url", "https://hooks.example.com/bob")));
    }

    @Test
    void ownersSeeAndRemoveOnlyTheirOwn() {
        Subscription alices = subscribe.execute("alice", Map.of("url", "https://hooks.example.com/a"));
        Subscription bobs = subscribe.execute("bob", Map.of("url", "https://hooks.example.com/b"));
        assertEquals(List.of(alices.withoutSecret()), list.execute("alice"));
        assertEquals(List.of(bobs.withoutSecret()), list.execute("bob"));

        Problem p = problem(() -> unsubscribe.execute("bob", alices.id()));
        assertEquals(Problem.Kind.NOT_FOUND, p.kind());
        assertEquals("webhook-not-found", p.code());
        assertEquals(List.of(alices.withoutSecret()), list.execute("alice"));

        unsubscribe.execute("alice", alices.id());
        assertTrue(list.execute("alice").isEmpty());
        assertEquals("webhook-not-found", problem(() -> unsubscribe.execute("alice", alices.id())).code());
    }

    @Test
    void malformedIdsAreNotFoundWithoutALookup() {
        assertEquals("webhook-not-found", problem(() -> unsubscribe.execute("alice", "x#y")).code());
        assertEquals("webhook-not-found", problem(() -> unsubscribe.execute("alice", "")).code());
    }
}
