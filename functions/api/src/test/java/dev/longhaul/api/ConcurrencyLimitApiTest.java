package dev.longhaul.api;

import static dev.longhaul.api.ProblemResponses.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MAX_ACTIVE_TASKS_PER_OWNER enforced atomically against DynamoDB Local, from parallel clients. */
class ConcurrencyLimitApiTest {
    static final int LIMIT = 3;
    private static final int CLIENTS = 20;

    private static TestCloud cloud;
    private static ApiInvoker api;
    private static DynamoDbTaskStore store;
    private static ExecutorService clients;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        Map<String, String> environment = new HashMap<>(cloud.environment("ApiFunction"));
        environment.put("MAX_ACTIVE_TASKS_PER_OWNER", String.valueOf(LIMIT));
        api = new ApiInvoker(new ApiHandler(environment));
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

    static void assertOverTheLimit(ApiInvoker.Response response) {
        JsonObject problem = assertProblem(response, 429, "concurrency-limit-exceeded");
        assertEquals(LIMIT, problem.longValue("limit").intValue());
        assertEquals(LIMIT, problem.longValue("active").intValue());
        assertTrue(Integer.parseInt(response.header("Retry-After")) >= 1, response.header("Retry-After"));
    }

    @Test
    void theCreateOverTheLimitIs429WithTheLimitAndTheCount() {
        for (int i = 0; i < LIMIT; i++) {
            assertEquals(202, api.invoke("api-create-task.json").status());
        }
        assertOverTheLimit(api.invoke("api-create-task.json"));
        assertEquals(LIMIT, cloud.taskCount());
        assertEquals(LIMIT, cloud.queueDepth());
        // another owner has slots of their own
        assertEquals(202, api.invoke(TaskEvents.as("user-mallory", TaskEvents.create("{\"type\":\"demo.fail\"}"))).status());
    }

    @Test
    void parallelCreatesAtTheLimitAdmitExactlyTheLimit() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<ApiInvoker.Response>> futures = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Callable<ApiInvoker.Response> create = () -> {
                gate.await();
                return api.invoke("api-create-task.json");
            };
            futures.add(clients.submit(create));
        }
        gate.countDown();
        List<String> admitted = new ArrayList<>();
        for (Future<ApiInvoker.Response> future : futures) {
            ApiInvoker.Response response = future.get();
            if (response.status() == 202) {
                admitted.add(response.json().string("id"));
            } else {
                assertOverTheLimit(response);
            }
        }
        assertEquals(LIMIT, admitted.size(), "exactly the limit admitted");
        assertEquals(LIMIT, store.activeCount(TaskEvents.ALICE), "the stored counter");
        assertEquals(LIMIT, cloud.taskCount());
        assertEquals(LIMIT, cloud.queueDepth());

        // a slot given back (a cancel) admits one more, and only one
        assertEquals(200, api.invokeForTask("api-cancel-task.json", admitted.get(0)).status());
        assertEquals(LIMIT - 1, store.activeCount(TaskEvents.ALICE));
        assertEquals(202, api.invoke("api-create-task.json").status());
        assertOverTheLimit(api.invoke("api-create-task.json"));
    }

    @Test
    void aDeleteGivesTheSlotBack() {
        String id = null;
        for (int i = 0; i < LIMIT; i++) {
            id = api.invoke("api-create-task.json").json().string("id");
        }
        assertEquals(204, api.invokeForTask("api-delete-task.json", id).status());
        assertEquals(202, api.invoke("api-create-task.json").status());
        assertOverTheLimit(api.invoke("api-create-task.json"));
    }

    @Test
    void anIdempotentReplayIsAnsweredAtTheLimit() {
        String id = api.invoke("api-create-task-idempotent.json").json().string("id");
        for (int i = 1; i < LIMIT; i++) {
            api.invoke("api-create-task.json");
        }
        ApiInvoker.Response replay = api.invoke("api-create-task-idempotent.json");
        assertEquals(202, replay.status(), replay.body());
        assertEquals(id, replay.json().string("id"));
    }
}
