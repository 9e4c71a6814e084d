package dev.longhaul.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.api.ApiHandler;
import dev.longhaul.api.ApiInvoker;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.SampleEvents;
import dev.longhaul.emulators.SqsEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Cancel, delete and the per-owner limit with the real worker on the emulators: the API handler
 * creates and cancels, the worker handler runs what SQS delivers, sometimes at the same time.
 */
class TaskCancellationEndToEndTest {
    private static final int LIMIT = 3;

    private static TestCloud cloud;
    private static ApiInvoker api;
    private static WorkerInvoker worker;
    private static DynamoDbTaskStore store;
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        Map<String, String> apiEnvironment = new HashMap<>(cloud.environment("ApiFunction"));
        apiEnvironment.put("MAX_ACTIVE_TASKS_PER_OWNER", String.valueOf(LIMIT));
        api = new ApiInvoker(new ApiHandler(apiEnvironment));
        Map<String, String> workerEnvironment = new HashMap<>(cloud.environment("WorkerFunction"));
        // a progress write, and so a cancel check, at every step of a short demo.sleep
        workerEnvironment.put("PROGRESS_INTERVAL_MILLIS", "0");
        worker = new WorkerInvoker(new WorkerHandler(workerEnvironment));
        store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
        threads = Executors.newFixedThreadPool(16);
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    private static String created(String body) {
        ApiInvoker.Response response = api.invoke(SampleEvents.withBody("api-create-task.json", body));
        assertEquals(202, response.status(), response.body());
        return response.json().string("id");
    }

    private static ApiInvoker.Response cancel(String id) {
        return api.invokeForTask("api-cancel-task.json", id);
    }

    /** Every message on the work queue, by the id of the task it carries. */
    private static Map<String, Message> delivered(int expected) {
        Map<String, Message> messages = new HashMap<>();
        for (int attempt = 0; attempt < 20 && messages.size() < expected; attempt++) {
            for (Message message : cloud.receive(10)) {
                messages.put(TaskCodec.fromJson(Json.parseObject(message.body())).id(), message);
            }
        }
        assertEquals(expected, messages.size());
        return messages;
    }

    private static List<String> run(Message message) {
        List<String> failures = worker.invoke(SqsEvents.of(List.of(message)));
        if (failures.isEmpty()) {
            cloud.delete(message);
        }
        return failures;
    }

    private static boolean hasResult(String id) {
        return cloud.resultKeys().contains(S3ResultStore.key(id));
    }

    @Test
    void aTaskCancelledWhileQueuedIsSkippedByTheWorker() {
        String id = created("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1}}");
        assertEquals(200, cancel(id).status());

        assertEquals(List.of(), run(delivered(1).get(id)), "the message is consumed");

        Task task = store.find(id).orElseThrow();
        assertEquals(TaskStatus.CANCELLED, task.status());
        assertEquals(0, task.attempts(), "the job never ran");
        assertTrue(task.executions().isEmpty());
        assertEquals(0, cloud.objectCount());
        assertEquals(0, store.activeCount("user-alice"));
    }

    @Test
    void aRunningTaskStopsAtItsNextProgressPointAndEndsCancelled() throws Exception {
        String id = created("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":3,\"steps\":30}}");
        Message message = delivered(1).get(id);
        long start = System.nanoTime();
        Future<List<String>> running = threads.submit(() -> run(message));
        for (int i = 0; i < 100 && store.find(id).orElseThrow().status() != TaskStatus.RUNNING; i++) {
            Thread.sleep(20);
        }
        Thread.sleep(300);

        ApiInvoker.Response answer = cancel(id);

        assertEquals(202, answer.status(), answer.body());
        assertTrue(answer.json().bool("cancelRequested"));
        assertEquals(List.of(), running.get(10, TimeUnit.SECONDS));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took < 2500, "the job stopped early, after " + took + " ms");
        Task task = store.find(id).orElseThrow();
        assertEquals(TaskStatus.CANCELLED, task.status());
        assertTrue(task.progress() < 100, "progress " + task.progress());
        assertEquals("cancelled", task.executions().get(task.executions().size() - 1).outcome());
        assertEquals(0, cloud.objectCount(), "no result object");
        assertEquals(0, store.activeCount("user-alice"));
        assertEquals("cancelled", api.invokeForTask("api-get-task.json", id).json().string("status"));
    }

    @Test
    void cancelRacingCompletionEndsInOneStateConsistentWithTheAnswer() throws Exception {
        int tasks = 12;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            // at most LIMIT at a time: run each batch before creating the next
            ids.add(created("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":2}}"));
            if (ids.size() % LIMIT == 0) {
                race(ids.subList(ids.size() - LIMIT, ids.size()), ids.size());
            }
        }
        assertEquals(0, store.activeCount("user-alice"), "every slot given back");
        assertEquals(tasks, cloud.taskCount());
    }

    /** Runs the worker on each task while a client cancels it, staggered so either may win. */
    private void race(List<String> batch, int seed) throws Exception {
        Map<String, Message> messages = delivered(batch.size());
        Map<String, Future<ApiInvoker.Response>> cancels = new HashMap<>();
        List<Future<List<String>>> runs = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            String id = batch.get(i);
            long delay = ((seed + i) % 5) * 4L;
            long workerDelay = (seed + i) % 3 == 0 ? 15 : 0;
            runs.add(threads.submit(() -> {
                Thread.sleep(workerDelay);
                return run(messages.get(id));
            }));
            cancels.put(id, threads.submit(() -> {
                Thread.sleep(delay);
                return cancel(id);
            }));
        }
        for (Future<List<String>> run : runs) {
            assertEquals(List.of(), run.get(10, TimeUnit.SECONDS));
        }
        for (String id : batch) {
            ApiInvoker.Response answer = cancels.get(id).get(10, TimeUnit.SECONDS);
            Task task = store.find(id).orElseThrow();
            String outcome = id + ": cancel answered " + answer.status() + ", task " + task.status();
            switch (answer.status()) {
                case 200 -> assertEquals(TaskStatus.CANCELLED, task.status(), outcome);
                case 202 -> assertTrue(task.status() == TaskStatus.CANCELLED
                        || task.status() == TaskStatus.SUCCEEDED, outcome);
                case 409 -> {
                    assertEquals(TaskStatus.SUCCEEDED, task.status(), outcome);
                    assertEquals("task-finished", answer.json().string("code"));
                }
                default -> throw new AssertionError(outcome + " " + answer.body());
            }
            assertEquals(task.status() == TaskStatus.SUCCEEDED, hasResult(id), outcome + ": result object");
        }
    }

    @Test
    void slotsComeBackWhenTheWorkerFinishesTasks() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            ids.add(created(i == 0 ? "{\"type\":\"demo.fail\"}"
                    : "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1}}"));
        }
        ApiInvoker.Response refused = api.invoke("api-create-task.json");
        assertEquals(429, refused.status(), refused.body());
        assertEquals("concurrency-limit-exceeded", refused.json().string("code"));

        Map<String, Message> messages = delivered(LIMIT);
        for (String id : ids) {
            assertEquals(List.of(), run(messages.get(id)));
        }
        assertEquals(TaskStatus.FAILED, store.find(ids.get(0)).orElseThrow().status());
        assertEquals(TaskStatus.SUCCEEDED, store.find(ids.get(1)).orElseThrow().status());
        assertEquals(0, store.activeCount("user-alice"));
        for (int i = 0; i < LIMIT; i++) {
            assertEquals(202, api.invoke("api-create-task.json").status());
        }
        assertEquals(429, api.invoke("api-create-task.json").status());
    }

    @Test
    void aTaskDeletedWhileRunningLeavesNothingBehind() throws Exception {
        String id = created("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":2,\"steps\":20}}");
        Message message = delivered(1).get(id);
        Future<List<String>> running = threads.submit(() -> run(message));
        for (int i = 0; i < 100 && store.find(id).orElseThrow().status() != TaskStatus.RUNNING; i++) {
            Thread.sleep(20);
        }
        assertEquals(204, api.invokeForTask("api-delete-task.json", id).status());
        assertEquals(List.of(), running.get(10, TimeUnit.SECONDS));
        assertTrue(store.find(id).isEmpty());
        assertFalse(hasResult(id));
        assertEquals(0, store.activeCount("user-alice"));
        assertEquals(404, api.invokeForTask("api-get-task.json", id).status());
    }

    @Test
    void aCancelDuringTheLastStepStillStopsTheJob() throws Exception {
        // the cancel lands while the only step sleeps: its progress write finds the flag
        String id = created("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1,\"steps\":1}}");
        Message message = delivered(1).get(id);
        Future<List<String>> running = threads.submit(() -> run(message));
        for (int i = 0; i < 100 && store.find(id).orElseThrow().status() != TaskStatus.RUNNING; i++) {
            Thread.sleep(20);
        }
        ApiInvoker.Response answer = cancel(id);
        assertEquals(202, answer.status(), answer.body());
        assertEquals(List.of(), running.get(10, TimeUnit.SECONDS));
        Task task = store.find(id).orElseThrow();
        assertEquals(TaskStatus.CANCELLED, task.status());
        assertFalse(hasResult(id));
        assertEquals(0, store.activeCount("user-alice"));
    }
}
