package dev.longhaul.api;

import static dev.longhaul.api.ProblemResponses.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cheap polling on GET /v1/tasks/{id}: ETag with If-None-Match, and Prefer: wait (RFC 7240). */
class ConditionalGetApiTest {
    private static TestCloud cloud;
    private static ApiInvoker api;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        api = new ApiInvoker(new ApiHandler(cloud.environment("ApiFunction")));
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    private static String createdTaskId() {
        ApiInvoker.Response created = api.invoke("api-create-task.json");
        assertEquals(202, created.status(), created.body());
        return created.json().string("id");
    }

    private static Map<String, Object> get(String id, String... headers) {
        Map<String, Object> event = TaskEvents.get(id);
        for (int i = 0; i < headers.length; i += 2) {
            TaskEvents.withHeader(event, headers[i], headers[i + 1]);
        }
        return event;
    }

    /** Cancels the task from another client after {@code millis}. */
    private static CompletableFuture<ApiInvoker.Response> cancelLater(String id, long millis) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return api.invokeForTask("api-cancel-task.json", id);
        });
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void representationsCarryAnETagThatChangesWithTheTask() {
        String id = createdTaskId();
        String etag = api.invoke(get(id)).header("ETag");
        assertTrue(etag.matches("\"\\d+\""), etag);
        assertEquals(etag, api.invoke(get(id)).header("ETag"), "stable while nothing changes");
        api.invokeForTask("api-cancel-task.json", id);
        String after = api.invoke(get(id)).header("ETag");
        assertTrue(!etag.equals(after), etag + " then " + after);
    }

    @Test
    void aMatchingIfNoneMatchIs304WithNoBody() {
        String id = createdTaskId();
        ApiInvoker.Response first = api.invoke(get(id));
        String etag = first.header("ETag");

        for (String condition : new String[] {etag, "W/" + etag, "\"999\", " + etag, "*"}) {
            ApiInvoker.Response response = api.invoke(get(id, "if-none-match", condition));
            assertEquals(304, response.status(), condition);
            assertEquals("", response.body());
            assertEquals(etag, response.header("ETag"));
            assertNull(response.header("Content-Type"));
        }
    }

    @Test
    void aStaleIfNoneMatchGetsTheNewRepresentation() {
        String id = createdTaskId();
        String etag = api.invoke(get(id)).header("ETag");
        api.invokeForTask("api-cancel-task.json", id);
        ApiInvoker.Response response = api.invoke(get(id, "if-none-match", etag));
        assertEquals(200, response.status());
        assertEquals("cancelled", response.json().string("status"));
    }

    @Test
    void preferWaitOnAnUnchangingTaskAnswersAfterTheWait() {
        String id = createdTaskId();
        long start = System.nanoTime();
        ApiInvoker.Response response = api.invoke(get(id, "prefer", "wait=2"));
        long took = millisSince(start);
        assertEquals(200, response.status());
        assertEquals("wait=2", response.header("Preference-Applied"));
        assertEquals("queued", response.json().string("status"));
        assertTrue(took >= 1900 && took < 4000, "took " + took + " ms");
    }

    @Test
    void theSampleLongPollAnswers304AfterTheWait() {
        // events/api-get-task-conditional-wait.json: If-None-Match "1" and Prefer: wait=2
        String id = createdTaskId();
        long start = System.nanoTime();
        ApiInvoker.Response response = api.invokeForTask("api-get-task-conditional-wait.json", id);
        long took = millisSince(start);
        assertEquals(304, response.status(), response.body());
        assertEquals("wait=2", response.header("Preference-Applied"));
        assertEquals("\"1\"", response.header("ETag"));
        assertTrue(took >= 1900 && took < 4000, "took " + took + " ms");
    }

    @Test
    void preferWaitAnswersAsSoonAsTheTaskChanges() throws Exception {
        String id = createdTaskId();
        CompletableFuture<ApiInvoker.Response> cancel = cancelLater(id, 300);
        long start = System.nanoTime();
        ApiInvoker.Response response = api.invoke(get(id, "prefer", "wait=5", "if-none-match", "\"1\""));
        long took = millisSince(start);
        assertEquals(200, cancel.get().status());
        assertEquals(200, response.status());
        assertEquals("cancelled", response.json().string("status"));
        assertEquals("wait=5", response.header("Preference-Applied"));
        assertTrue(took >= 250 && took < 1500, "took " + took + " ms");
    }

    @Test
    void preferWaitIsCappedAt10Seconds() throws Exception {
        String id = createdTaskId();
        CompletableFuture<ApiInvoker.Response> cancel = cancelLater(id, 300);
        long start = System.nanoTime();
        ApiInvoker.Response response = api.invoke(get(id, "prefer", "respond-async, wait=60"));
        long took = millisSince(start);
        assertEquals(200, cancel.get().status());
        assertEquals("wait=10", response.header("Preference-Applied"));
        assertEquals("cancelled", response.json().string("status"));
        assertTrue(took < 1500, "took " + took + " ms");
    }

    @Test
    void preferWaitAnswersAtOnceWhenTheClientsCopyIsAlreadyStale() {
        String id = createdTaskId();
        api.invokeForTask("api-cancel-task.json", id);
        long start = System.nanoTime();
        ApiInvoker.Response response = api.invoke(get(id, "prefer", "wait=3", "if-none-match", "\"1\""));
        assertEquals(200, response.status());
        assertEquals("cancelled", response.json().string("status"));
        assertTrue(millisSince(start) < 1000, "took " + millisSince(start) + " ms");
    }

    @Test
    void preferWaitAnswersAtOnceWhenTheClientHoldsAnOlderRevisionOfAnActiveTask() {
        String id = createdTaskId();
        // revision 2: the task is running; the client last saw revision 1
        var store = new dev.longhaul.aws.dynamodb.DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
        var queued = store.find(id).orElseThrow();
        assertTrue(store.replace(queued.start("token", java.time.Instant.now(), java.time.Instant.now().plusSeconds(60))));
        long start = System.nanoTime();
        ApiInvoker.Response response = api.invoke(get(id, "prefer", "wait=3", "if-none-match", "\"1\""));
        assertEquals(200, response.status());
        assertEquals("running", response.json().string("status"));
        assertTrue(millisSince(start) < 1000, "took " + millisSince(start) + " ms");
    }

    @Test
    void malformedPreferencesAreIgnored() {
        String id = createdTaskId();
        for (String prefer : new String[] {"wait=soon", "wait=-1", "wait=", "handling=lenient"}) {
            long start = System.nanoTime();
            ApiInvoker.Response response = api.invoke(get(id, "prefer", prefer));
            assertEquals(200, response.status(), prefer);
            assertNull(response.header("Preference-Applied"), prefer);
            assertTrue(millisSince(start) < 1000, prefer);
        }
    }

    @Test
    void preferWaitOnAnotherOwnersTaskIs404AtOnce() {
        String id = createdTaskId();
        long start = System.nanoTime();
        assertProblem(api.invoke(TaskEvents.as("user-mallory", get(id, "prefer", "wait=5"))), 404, "task-not-found");
        assertTrue(millisSince(start) < 1000);
    }
}
