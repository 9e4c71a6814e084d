package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.longhaul.core.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The task contract beyond create and poll, over real HTTP through the local cloud's gateway and
 * JWT authorizer, with the worker driven by the SQS event source: idempotent retries, owner-scoped
 * listing with tamper-evident page tokens, cancelling a running task, and delete.
 */
class TaskContractOverHttpTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final URI base = TestClouds.longhaul().baseUrl();

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheSameTask() {
        String token = Http.token("idem-" + System.nanoTime());
        String body = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1}}";
        HttpResponse<String> first = create(token, body, "retry-1");
        HttpResponse<String> again = create(token, body, "retry-1");
        assertEquals(202, first.statusCode(), first.body());
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(first.headers().firstValue("location"), again.headers().firstValue("location"));
        assertEquals("true", again.headers().firstValue("idempotent-replayed").orElse(null));
        assertFalse(first.headers().firstValue("idempotent-replayed").isPresent());

        HttpResponse<String> otherBody = create(token, "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1}}", "retry-1");
        assertProblem(otherBody, 422, "idempotency-key-reused");
        // keys are scoped per owner: another owner's identical key creates its own task
        HttpResponse<String> otherOwner = create(Http.token("idem-other-" + System.nanoTime()), body, "retry-1");
        assertEquals(202, otherOwner.statusCode(), otherOwner.body());
        assertNotEquals(first.headers().firstValue("location"), otherOwner.headers().firstValue("location"));
    }

    @Test
    void listingIsOwnerScopedNewestFirstAndPagedWithTamperEvidentTokens() {
        String owner = "lister-" + System.nanoTime();
        String token = Http.token(owner);
        for (int i = 0; i < 3; i++) {
            assertEquals(202, create(token, "{\"type\":\"demo.fail\",\"parameters\":{\"message\":\"m" + i + "\"}}", null)
                    .statusCode());
        }
        HttpResponse<String> page1 = Http.get(base.resolve("/v1/tasks?type=demo.fail&pageSize=2"), token);
        assertEquals(200, page1.statusCode(), page1.body());
        Map<String, Object> first = Json.parseObject(page1.body());
        List<Map<String, Object>> tasks = tasks(first);
        assertEquals(2, tasks.size(), page1.body());
        String nextPageToken = (String) first.get("nextPageToken");
        assertNotNull(nextPageToken, page1.body());
        assertTrue(((String) tasks.get(0).get("createdAt")).compareTo((String) tasks.get(1).get("createdAt")) >= 0,
                "newest first: " + page1.body());

        HttpResponse<String> page2 = Http.get(base.resolve("/v1/tasks?type=demo.fail&pageSize=2&pageToken="
                + URLEncoder.encode(nextPageToken, StandardCharsets.UTF_8)), token);
        assertEquals(200, page2.statusCode(), page2.body());
        Set<Object> ids = new HashSet<>();
        tasks.forEach(t -> ids.add(t.get("id")));
        tasks(Json.parseObject(page2.body())).forEach(t -> assertTrue(ids.add(t.get("id")), "pages overlap"));
        assertEquals(3, ids.size());

        // the same token from another owner, or altered, is refused; another owner sees nothing
        String other = Http.token("lister-other-" + System.nanoTime());
        assertProblem(Http.get(base.resolve("/v1/tasks?type=demo.fail&pageSize=2&pageToken="
                + URLEncoder.encode(nextPageToken, StandardCharsets.UTF_8)), other), 400, null);
        String forged = (nextPageToken.charAt(0) == 'A' ? "B" : "A") + nextPageToken.substring(1);
        assertProblem(Http.get(base.resolve("/v1/tasks?type=demo.fail&pageToken="
                + URLEncoder.encode(forged, StandardCharsets.UTF_8)), token), 400, null);
        HttpResponse<String> none = Http.get(base.resolve("/v1/tasks"), other);
        assertEquals(200, none.statusCode());
        assertEquals(List.of(), tasks(Json.parseObject(none.body())));
        assertProblem(Http.get(base.resolve("/v1/tasks?pageSize=101"), token), 400, null);
    }

    @Test
    void aRunningTaskIsCancelledAtItsNextProgressPointThenDeleted() {
        String token = Http.token("canceller-" + System.nanoTime());
        HttpResponse<String> created = create(token, "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":60,\"steps\":60}}", null);
        assertEquals(202, created.statusCode(), created.body());
        URI task = base.resolve(created.headers().firstValue("location").orElseThrow());
        awaitTask(task, token, t -> "running".equals(t.get("status")));

        HttpResponse<String> cancel = Http.postJson(URI.create(task + "/cancel"), token, "");
        assertEquals(202, cancel.statusCode(), cancel.body());
        assertEquals(Boolean.TRUE, Json.parseObject(cancel.body()).get("cancelRequested"));
        Map<String, Object> cancelled = awaitTask(task, token, t -> "cancelled".equals(t.get("status")));
        assertNotNull(cancelled.get("finishedAt"));
        List<?> executions = (List<?>) cancelled.get("executions");
        assertEquals("cancelled", ((Map<?, ?>) executions.get(executions.size() - 1)).get("outcome"), cancelled.toString());

        HttpResponse<String> again = Http.postJson(URI.create(task + "/cancel"), token, "");
        assertEquals(200, again.statusCode(), "cancelling twice is harmless: " + again.body());
        HttpResponse<String> result = Http.get(URI.create(task + "/result"), token);
        assertEquals(409, result.statusCode(), result.body());

        HttpResponse<String> deleted = Http.send(Http.request(task, token).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertProblem(Http.get(task, token), 404, null);
    }

    @Test
    void aFinishedTaskCannotBeCancelledAndAnotherOwnersTaskDoesNotExist() {
        String token = Http.token("finisher-" + System.nanoTime());
        HttpResponse<String> created = create(token, "{\"type\":\"demo.fail\",\"parameters\":{\"message\":\"boom\"}}", null);
        URI task = base.resolve(created.headers().firstValue("location").orElseThrow());
        Map<String, Object> failed = awaitTask(task, token, t -> "failed".equals(t.get("status")));
        assertEquals("boom", ((Map<?, ?>) failed.get("error")).get("message"));
        assertProblem(Http.postJson(URI.create(task + "/cancel"), token, ""), 409, null);

        String intruder = Http.token("intruder-" + System.nanoTime());
        assertProblem(Http.get(task, intruder), 404, null);
        assertProblem(Http.postJson(URI.create(task + "/cancel"), intruder, ""), 404, null);
        assertProblem(Http.send(Http.request(task, intruder).DELETE().build()), 404, null);
        assertEquals(200, Http.get(task, token).statusCode(), "the owner's task is untouched");
    }

    @Test
    void overTheOwnersActiveTaskLimitIs429UntilASlotIsGivenBack() {
        String token = Http.token("limited-" + System.nanoTime());
        String slow = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":60,\"steps\":60}}";
        List<URI> active = new java.util.ArrayList<>();
        for (int i = 0; i < TestClouds.MAX_ACTIVE_TASKS_PER_OWNER; i++) {
            HttpResponse<String> created = create(token, slow, null);
            assertEquals(202, created.statusCode(), created.body());
            active.add(base.resolve(created.headers().firstValue("location").orElseThrow()));
        }
        HttpResponse<String> over = create(token, slow, null);
        assertProblem(over, 429, "concurrency-limit-exceeded");
        Map<String, Object> problem = Json.parseObject(over.body());
        assertEquals(TestClouds.MAX_ACTIVE_TASKS_PER_OWNER, ((Number) problem.get("limit")).intValue(), over.body());
        assertEquals(TestClouds.MAX_ACTIVE_TASKS_PER_OWNER, ((Number) problem.get("active")).intValue(), over.body());
        assertTrue(over.headers().firstValue("retry-after").isPresent(), over.headers().toString());
        // another owner is not limited by this one
        String otherToken = Http.token("unlimited-" + System.nanoTime());
        HttpResponse<String> other = create(otherToken, slow, null);
        assertEquals(202, other.statusCode(), other.body());
        Http.postJson(base.resolve(other.headers().firstValue("location").orElseThrow() + "/cancel"), otherToken, "");

        // a cancelled task gives its slot back, queued or running
        HttpResponse<String> cancel = Http.postJson(URI.create(active.get(0) + "/cancel"), token, "");
        assertTrue(cancel.statusCode() == 200 || cancel.statusCode() == 202, cancel.body());
        awaitTask(active.get(0), token, t -> "cancelled".equals(t.get("status")));
        HttpResponse<String> admitted = create(token, "{\"type\":\"demo.fail\",\"parameters\":{}}", null);
        assertEquals(202, admitted.statusCode(), admitted.body());
        for (URI task : active.subList(1, active.size())) {
            Http.postJson(URI.create(task + "/cancel"), token, "");
        }
    }

    @Test
    void anUnchangedTaskAnswers304ToItsETag() {
        String token = Http.token("etag-" + System.nanoTime());
        HttpResponse<String> created = create(token, "{\"type\":\"demo.fail\",\"parameters\":{}}", null);
        URI task = base.resolve(created.headers().firstValue("location").orElseThrow());
        awaitTask(task, token, t -> "failed".equals(t.get("status")));
        HttpResponse<String> current = Http.get(task, token);
        String etag = current.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> unchanged = Http.send(Http.request(task, token).header("If-None-Match", etag).GET().build());
        assertEquals(304, unchanged.statusCode(), unchanged.body());
        assertEquals(etag, unchanged.headers().firstValue("etag").orElse(null));
        HttpResponse<String> stale = Http.send(Http.request(task, token).header("If-None-Match", "\"0\"").GET().build());
        assertEquals(200, stale.statusCode(), stale.body());
    }

    private HttpResponse<String> create(String token, String body, String idempotencyKey) {
        return create(base, token, body, idempotencyKey);
    }

    /** {@code POST /v1/tasks}, with the {@code Idempotency-Key} when one is given. */
    static HttpResponse<String> create(URI base, String token, String body, String idempotencyKey) {
        HttpRequest.Builder request = Http.request(base.resolve("/v1/tasks"), token)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return Http.send(request.build());
    }

    /** Polls the task (a 303 counts as its body) until {@code done} holds. */
    static Map<String, Object> awaitTask(URI task, String token, Predicate<Map<String, Object>> done) {
        return poll(task, token, done, LIMIT);
    }

    /** Polls a resource (a 303 counts as its body) until {@code done} holds, for at most {@code limit}. */
    static Map<String, Object> poll(URI uri, String token, Predicate<Map<String, Object>> done, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            HttpResponse<String> response = Http.get(uri, token);
            assertTrue(response.statusCode() == 200 || response.statusCode() == 303, response.body());
            Map<String, Object> body = Json.parseObject(response.body());
            if (done.test(body)) {
                return body;
            }
            if (System.nanoTime() > deadline) {
                fail("not in the expected state within " + limit + ": " + response.body());
            }
            LifecycleSuite.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tasks(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("tasks");
    }

    /** An {@code application/problem+json} answer with the status (and code, when given). */
    static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("content-type").orElse(null), response.body());
        Map<String, Object> problem = Json.parseObject(response.body());
        assertEquals(status, ((Number) problem.get("status")).intValue());
        assertNotNull(problem.get("code"), response.body());
        if (code != null) {
            assertEquals(code, problem.get("code"), response.body());
        }
        assertNull(problem.get("stackTrace"));
    }
}
