package dev.longhaul.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The worker handler driven by the sample SQS events, against the emulators. */
class WorkerHandlerTest {
    private static TestCloud cloud;
    private static WorkerInvoker worker;
    private static DynamoDbTaskStore store;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        worker = new WorkerInvoker(new WorkerHandler(cloud.environment("WorkerFunction")));
        store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    /** Stores the task the sample message describes, under a fresh id; returns that id. */
    private static String storeSampleTask(String eventName) {
        String id = TaskIds.create().newId();
        Map<String, Object> event = SampleEvents.forTask(eventName, id);
        @SuppressWarnings("unchecked")
        String body = (String) ((Map<String, Object>) ((List<Object>) event.get("Records")).get(0)).get("body");
        store.create(TaskCodec.fromJson(Json.parseObject(body)));
        return id;
    }

    @Test
    void runsTheTaskAndStoresTheResultWithItsExpiry() {
        String id = storeSampleTask("sqs-task-batch.json");

        List<String> failures = worker.invoke(SampleEvents.forTask("sqs-task-batch.json", id));

        assertEquals(List.of(), failures);
        Task task = store.find(id).orElseThrow();
        assertEquals(TaskStatus.SUCCEEDED, task.status());
        assertEquals(100, task.progress());
        assertEquals(1, task.attempts());
        assertEquals("application/json", task.result().contentType());
        assertEquals(task.finishedAt().plusSeconds(3600), task.expiresAt());
        assertEquals("succeeded", task.executions().get(0).outcome());
        assertNull(task.runToken());
        Map<String, AttributeValue> item = cloud.clients().dynamoDb()
                .getItem(get -> get.tableName(cloud.tableName()).key(Map.of("id", AttributeValue.fromS(id)))).item();
        assertEquals(String.valueOf(task.ttlEpochSeconds()), item.get("ttl").n());
        String result = cloud.clients().s3().getObjectAsBytes(get -> get.bucket(cloud.bucket())
                .key(S3ResultStore.key(id))).asString(StandardCharsets.UTF_8);
        assertEquals("{\"sleptSeconds\":0}", result);
        assertEquals(task.result().size(), result.length());
    }

    @Test
    void redeliveryOfAFinishedTaskIsANoOp() {
        String id = storeSampleTask("sqs-task-batch.json");
        Map<String, Object> event = SampleEvents.forTask("sqs-task-batch.json", id);
        worker.invoke(event);
        Task finished = store.find(id).orElseThrow();

        List<String> failures = worker.invoke(event);

        assertEquals(List.of(), failures, "nothing to retry");
        Task after = store.find(id).orElseThrow();
        assertEquals(finished, after, "the finished task is untouched");
        assertEquals(1, cloud.objectCount());
    }

    @Test
    void poisonMessageIsReportedForRetryWhileTheRestOfTheBatchSucceeds() {
        String id = storeSampleTask("sqs-poison-batch.json");

        List<String> failures = worker.invoke(SampleEvents.forTask("sqs-poison-batch.json", id));

        assertEquals(List.of("5f1c2a3b-0000-4000-8000-000000000002"), failures);
        assertEquals(TaskStatus.SUCCEEDED, store.find(id).orElseThrow().status());
    }

    @Test
    void jobErrorMarksTheTaskFailedWithItsCodeAndMessage() {
        Task task = Task.create(TaskIds.create().newId(), "user-alice", "demo.fail", null,
                Map.of("message", "upstream warehouse API refused the export"), Instant.now());
        store.create(task);

        List<String> failures = worker.invoke(SampleEvents.sqsBatch(List.of(Json.write(TaskCodec.toJson(task)))));

        assertEquals(List.of(), failures);
        Task failed = store.find(task.id()).orElseThrow();
        assertEquals(TaskStatus.FAILED, failed.status());
        assertEquals("demo-failure", failed.error().code());
        assertEquals("upstream warehouse API refused the export", failed.error().message());
        assertTrue(failed.expiresAt().isAfter(failed.finishedAt()));
        assertEquals(0, cloud.objectCount(), "a failed task leaves no result object");
    }

    @Test
    void messageForADeletedTaskIsDropped() {
        Task task = Task.create(TaskIds.create().newId(), "user-alice", "demo.sleep", null,
                Map.of("seconds", 0L, "steps", 1L), Instant.now());
        List<String> failures = worker.invoke(SampleEvents.sqsBatch(List.of(Json.write(TaskCodec.toJson(task)))));
        assertEquals(List.of(), failures);
        assertEquals(0, cloud.itemCount(), "the worker never resurrects a task");
        assertEquals(0, cloud.objectCount());
    }
}
