package dev.longhaul.api;

import static dev.longhaul.api.ProblemResponses.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.TaskCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Idempotency-Key on POST /v1/tasks against the emulators, races included. */
class IdempotencyApiTest {
    private static final String SAMPLE_KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324";
    private static final String OTHER_BODY = "{\"type\": \"demo.sleep\", \"parameters\": {\"seconds\": 5}}";
    private static final int CLIENTS = 20;

    private static TestCloud cloud;
    private static ApiInvoker api;
    private static DynamoDbTaskStore store;
    private static ExecutorService clients;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        api = new ApiInvoker(new ApiHandler(cloud.environment("ApiFunction")));
        store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
        clients = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterAll
    static void stop() {
        clients.shutdownNow();
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    private static List<String> enqueuedIds() {
        return cloud.drain().stream().map(Message::body)
                .map(body -> TaskCodec.fromJson(Json.parseObject(body)).id()).toList();
    }

    @Test
    void theSameKeyAndBodyReplayTheOriginalTask() {
        ApiInvoker.Response first = api.invoke("api-create-task-idempotent.json");
        ApiInvoker.Response again = api.invoke("api-create-task-idempotent.json");

        assertEquals(202, first.status(), first.body());
        assertNull(first.header("Idempotent-Replayed"));
        assertEquals(202, again.status(), again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        String id = first.json().string("id");
        assertEquals(id, again.json().string("id"));
        assertEquals(first.header("Location"), again.header("Location"));
        assertEquals("/v1/tasks/" + id, again.header("Location"));
        assertEquals(1, cloud.taskCount(), "one task stored");
        assertEquals(List.of(id), enqueuedIds(), "one message enqueued");
        assertEquals(1, store.activeCount(TaskEvents.ALICE));
    }

    @Test
    void theReplayShowsTheTasksCurrentState() {
        String id = api.invoke("api-create-task-idempotent.json").json().string("id");
        assertEquals(200, api.invokeForTask("api-cancel-task.json", id).status());
        ApiInvoker.Response again = api.invoke("api-create-task-idempotent.json");
        assertEquals(id, again.json().string("id"));
        assertEquals("cancelled", again.json().string("status"));
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        api.invoke("api-create-task-idempotent.json");
        assertProblem(api.invoke(TaskEvents.createIdempotent(SAMPLE_KEY, OTHER_BODY)), 422, "idempotency-key-reused");
        assertEquals(1, cloud.taskCount());
        assertEquals(1, cloud.queueDepth());
    }

    /**
     * The sample's body ({@code {"type": "demo.sleep", "parameters": {"seconds": 0, "steps": 1},
     * "description": "nightly warm-up"}}) sent again with its keys in other orders, its numbers
     * spelled otherwise and other white space: the same request, replayed.
     */
    @Test
    void theSameBodyWrittenDifferentlyReplaysTheOriginalTask() {
        ApiInvoker.Response first = api.invoke("api-create-task-idempotent.json");
        assertEquals(202, first.status(), first.body());
        String id = first.json().string("id");
        for (String same : List.of(
                "{\"description\":\"nightly warm-up\",\"parameters\":{\"steps\":1,\"seconds\":0},\"type\":\"demo.sleep\"}",
                "{\"parameters\":{\"seconds\":0.0,\"steps\":1e0},\"type\":\"demo.sleep\",\"description\":\"nightly warm-up\"}",
                "{\n  \"type\" : \"demo.sleep\",\n  \"description\" : \"nightly\\u0020warm-up\",\n"
                        + "  \"parameters\" : { \"steps\" : 10E-1, \"seconds\" : -0 }\n}\n")) {
            ApiInvoker.Response again = api.invoke(TaskEvents.createIdempotent(SAMPLE_KEY, same));
            assertEquals(202, again.status(), same + " -> " + again.body());
            assertEquals("true", again.header("Idempotent-Replayed"), same);
            assertEquals(id, again.json().string("id"), same);
        }
        assertProblem(api.invoke(TaskEvents.createIdempotent(SAMPLE_KEY,
                "{\"description\":\"nightly warm-up\",\"parameters\":{\"steps\":2,\"seconds\":0},\"type\":\"demo.sleep\"}")),
                422, "idempotency-key-reused");
        assertEquals(1, cloud.taskCount(), "one task stored");
        assertEquals(List.of(id), enqueuedIds(), "one message enqueued");
    }

    @Test
    void keysAreScopedPerOwner() {
        String alices = api.invoke("api-create-task-idempotent.json").json().string("id");
        ApiInvoker.Response mallorys = api.invoke(TaskEvents.as("user-mallory",
                dev.longhaul.core.testing.SampleEvents.load("api-create-task-idempotent.json")));
        assertEquals(202, mallorys.status(), mallorys.body());
        assertNull(mallorys.header("Idempotent-Replayed"));
        assertNotEquals(alices, mallorys.json().string("id"));
        assertEquals(2, cloud.taskCount());
    }

    @Test
    void aMalformedKeyIs400AndStoresNothing() {
        for (String key : List.of("has space", "k".repeat(256), "caf\u00e9", "")) {
            assertProblem(api.invoke(TaskEvents.createIdempotent(key, OTHER_BODY)), 400, "invalid-idempotency-key");
        }
        assertEquals(0, cloud.itemCount());
        assertEquals(0, cloud.queueDepth());
    }

    @Test
    void aKeyWhoseTaskWasDeletedIs409() {
        String id = api.invoke("api-create-task-idempotent.json").json().string("id");
        assertEquals(204, api.invokeForTask("api-delete-task.json", id).status());
        assertProblem(api.invoke("api-create-task-idempotent.json"), 409, "idempotency-key-used");
        assertEquals(0, cloud.taskCount());
    }

    @Test
    void concurrentCreatesWithTheSameKeyStoreOneTask() throws Exception {
        int rounds = 4;
        Set<String> winners = new HashSet<>();
        for (int round = 0; round < rounds; round++) {
            String key = "race-" + round + "-" + System.nanoTime();
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<ApiInvoker.Response>> futures = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Callable<ApiInvoker.Response> create = () -> {
                    gate.await();
                    return api.invoke(TaskEvents.createIdempotent(key, OTHER_BODY));
                };
                futures.add(clients.submit(create));
            }
            gate.countDown();
            Set<String> ids = new HashSet<>();
            int accepted = 0;
            for (Future<ApiInvoker.Response> future : futures) {
                ApiInvoker.Response response = future.get();
                if (response.status() == 202) {
                    accepted++;
                    ids.add(response.json().string("id"));
                } else {
                    assertProblem(response, 409, "idempotency-key-in-use");
                    assertEquals("1", response.header("Retry-After"));
                }
            }
            assertTrue(accepted >= 1, "round " + round + ": someone won");
            assertEquals(1, ids.size(), "round " + round + ": never two ids " + ids);
            winners.addAll(ids);
        }
        assertEquals(rounds, winners.size());
        assertEquals(rounds, cloud.taskCount(), "one task per key");
        assertEquals(winners, new HashSet<>(enqueuedIds()), "one message per key");
        assertEquals(rounds, store.activeCount(TaskEvents.ALICE));
        assertFalse(winners.contains(null));
    }
}
