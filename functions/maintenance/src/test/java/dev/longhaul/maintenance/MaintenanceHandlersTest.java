package dev.longhaul.maintenance;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.longhaul.lambda.testing.LambdaRuntime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.port.ResultUpload;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.SampleEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The sweeper, the dead-letter consumer and the result clean-up, driven by events/ on the emulators. */
class MaintenanceHandlersTest {
    private static TestCloud cloud;
    private static DynamoDbTaskStore store;
    private static S3ResultStore results;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
        results = new S3ResultStore(cloud.clients().s3(), cloud.clients().presigner(), cloud.bucket());
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    private static Task queuedTask(Instant createdAt) {
        Task task = Task.create(TaskIds.create().newId(), "user-alice", "demo.sleep", null,
                Map.of("seconds", 0L, "steps", 1L), createdAt);
        store.create(task);
        return task;
    }

    /** The event through the Lambda runtime's serializer to the handler's typed entry, the answer back. */
    private static Map<String, Object> invoke(Object handler, Map<String, Object> event) throws IOException {
        if (handler instanceof SweeperHandler sweeper) {
            return LambdaRuntime.invoke(event, ScheduledEvent.class, e -> sweeper.handle(e, null));
        }
        if (handler instanceof DeadLetterHandler deadLetters) {
            return LambdaRuntime.invoke(event, SQSEvent.class, e -> deadLetters.handle(e, null));
        }
        ResultCleanupHandler cleanup = (ResultCleanupHandler) handler;
        return LambdaRuntime.invoke(event, DynamodbEvent.class, e -> cleanup.handle(e, null));
    }

    @Test
    void sweeperRequeuesATaskWhoseMessageWasLostAndLeavesFreshOnesAlone() throws IOException {
        Task lost = queuedTask(Instant.now().minus(Task.QUEUED_GRACE).minusSeconds(5));
        Task fresh = queuedTask(Instant.now());

        Map<String, Object> report = invoke(new SweeperHandler(cloud.environment("SweeperFunction")),
                SampleEvents.load("schedule-sweep.json"));

        assertEquals(1L, report.get("requeued"));
        List<Message> messages = cloud.drain();
        assertEquals(1, messages.size(), "one new message, for the lost task only");
        assertEquals(lost.id(), TaskCodec.fromJson(Json.parseObject(messages.get(0).body())).id());
        Task requeued = store.find(lost.id()).orElseThrow();
        assertEquals(TaskStatus.QUEUED, requeued.status());
        assertTrue(requeued.sweepAt().isAfter(Instant.now()), "not due again right away");
        assertEquals(fresh, store.find(fresh.id()).orElseThrow());
    }

    @Test
    void sweeperGivesACrashedWorkersTaskAnotherAttemptThenFailsIt() throws IOException {
        Instant past = Instant.now().minusSeconds(600);
        Task task = queuedTask(past);
        Task crashed = task.start("run-1", past, past.plusSeconds(60));
        assertTrue(store.replace(crashed));
        SweeperHandler sweeper = new SweeperHandler(cloud.environment("SweeperFunction"));

        invoke(sweeper, SampleEvents.load("schedule-sweep.json"));

        Task requeued = store.find(task.id()).orElseThrow();
        assertEquals(TaskStatus.QUEUED, requeued.status());
        assertEquals("abandoned", requeued.executions().get(0).outcome());
        assertEquals(1, cloud.drain().size());

        // attempts spent: two more crashes and the sweeper fails it, giving the slot back
        Task current = requeued;
        for (int attempt = 2; attempt <= 3; attempt++) {
            Task running = current.start("run-" + attempt, past, past.plusSeconds(60));
            assertTrue(store.replace(running));
            invoke(sweeper, SampleEvents.load("schedule-sweep.json"));
            current = store.find(task.id()).orElseThrow();
            cloud.drain();
        }
        assertEquals(TaskStatus.FAILED, current.status());
        assertEquals("worker-lost", current.error().code());
        assertEquals(3, current.attempts());
        assertEquals(0, store.activeCount("user-alice"));
    }

    @Test
    void sweeperLeavesALiveLeaseAlone() throws IOException {
        Task task = queuedTask(Instant.now().minusSeconds(600));
        Task running = task.start("run-1", Instant.now(), Instant.now().plusSeconds(300));
        assertTrue(store.replace(running));

        Map<String, Object> report = invoke(new SweeperHandler(cloud.environment("SweeperFunction")),
                SampleEvents.load("schedule-sweep.json"));

        assertEquals(0L, report.get("examined"));
        assertEquals(running, store.find(task.id()).orElseThrow());
        assertEquals(0, cloud.queueDepth());
    }

    @Test
    void deadLetteredTaskIsFailedSoNoneStaysQueued() throws IOException {
        Task task = queuedTask(Instant.now());

        Map<String, Object> response = invoke(new DeadLetterHandler(cloud.environment("DeadLetterFunction")),
                SampleEvents.forTask("sqs-dead-letter-batch.json", task.id()));

        assertEquals(List.of(), response.get("batchItemFailures"));
        Task failed = store.find(task.id()).orElseThrow();
        assertEquals(TaskStatus.FAILED, failed.status());
        assertEquals("undeliverable", failed.error().code());
        assertEquals(0, store.activeCount("user-alice"));
    }

    @Test
    void deadLetterOfATaskStillRunningUnderALiveLeaseLeavesItToItsWorker() throws IOException {
        Task task = queuedTask(Instant.now());
        Task running = task.start("run-1", Instant.now(), Instant.now().plusSeconds(300));
        assertTrue(store.replace(running));

        invoke(new DeadLetterHandler(cloud.environment("DeadLetterFunction")),
                SampleEvents.forTask("sqs-dead-letter-batch.json", task.id()));

        assertEquals(TaskStatus.RUNNING, store.find(task.id()).orElseThrow().status());
    }

    @Test
    void ttlRemovalDeletesTheResultObjectAtOnce() throws IOException {
        String id = TaskIds.create().newId();
        try (ResultUpload upload = results.open(id, "application/json")) {
            upload.stream().write("{}".getBytes(StandardCharsets.UTF_8));
            upload.commit();
        }
        assertEquals(1, cloud.objectCount());

        Map<String, Object> response = invoke(new ResultCleanupHandler(cloud.environment("ResultCleanupFunction")),
                SampleEvents.forTask("dynamodb-ttl-remove.json", id));

        assertEquals(List.of(), response.get("batchItemFailures"));
        assertEquals(0, cloud.objectCount());
        assertFalse(results.storedSize(id).isPresent());
    }

    @Test
    void streamRecordsOfOtherItemsAreIgnored() throws IOException {
        String id = TaskIds.create().newId();
        try (ResultUpload upload = results.open(id, "application/json")) {
            upload.stream().write("{}".getBytes(StandardCharsets.UTF_8));
            upload.commit();
        }
        Map<String, Object> event = SampleEvents.forTask("dynamodb-ttl-remove.json", "idem#0123");
        invoke(new ResultCleanupHandler(cloud.environment("ResultCleanupFunction")), event);
        assertEquals(1, cloud.objectCount(), "a bookkeeping item's removal touches no result");
    }
}
