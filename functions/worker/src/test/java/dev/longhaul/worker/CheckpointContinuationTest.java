package dev.longhaul.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.RecordingJobContext;
import dev.longhaul.core.job.builtin.StockReportJob;
import dev.longhaul.core.task.Execution;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A job longer than one invocation: when the function's time runs low, report.stock checkpoints
 * its multipart upload and the next invocation resumes it, keeping progress and never sending a
 * stored part twice.
 */
class CheckpointContinuationTest {
    private static final long ROWS = 400_000;

    @Test
    void aReportCheckpointsNearTheTimeoutAndTheNextInvocationFinishesIt() throws Exception {
        TestCloud cloud = TestCloud.get();
        cloud.reset();
        Map<String, String> environment = new HashMap<>(cloud.environment("WorkerFunction"));
        environment.put("PROGRESS_INTERVAL_MILLIS", "0");
        WorkerHandler worker = new WorkerHandler(environment);
        DynamoDbTaskStore store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
        Map<String, Object> parameters = new StockReportJob().parameters().validate(Map.of("rows", ROWS, "seed", 7L));
        Task task = Task.create(TaskIds.create().newId(), "user-alice", "report.stock", null, parameters, Instant.now());
        store.create(task);
        Map<String, Object> event = SampleEvents.sqsBatch(List.of(Json.write(TaskCodec.toJson(task))));

        // first invocation: plenty of time for 70 progress points, then under a minute left
        AtomicInteger asked = new AtomicInteger();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        worker.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(event)), out,
                new ShrinkingContext(() -> asked.incrementAndGet() < 70 ? 600_000 : 30_000));
        assertEquals("{\"batchItemFailures\":[]}", out.toString(),
                "the delivered message is done with: its receive is not spent on the continuation");
        List<software.amazon.awssdk.services.sqs.model.Message> fresh = cloud.drain();
        assertEquals(1, fresh.size(), "the continuation is a fresh message on the work queue");
        Task handedOn = TaskCodec.fromJson(Json.parseObject(fresh.get(0).body()));
        Task suspended = store.find(task.id()).orElseThrow();
        assertEquals(suspended, handedOn, "carrying the task as stored");
        assertEquals(TaskStatus.QUEUED, suspended.status());
        assertEquals(Task.CONTINUED, suspended.executions().get(0).outcome());
        assertTrue(suspended.progress() >= 60, "progress is kept: " + suspended.progress());
        assertEquals(0, cloud.objectCount(), "nothing visible until the continuation commits");

        // second invocation, on the fresh message with time to spare, resumes the upload and completes the task
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Map<String, Object> continuation = SampleEvents.sqsBatch(List.of(fresh.get(0).body()));
        worker.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(continuation)), second,
                new ShrinkingContext(() -> 600_000));
        Task done = store.find(task.id()).orElseThrow();
        assertEquals(TaskStatus.SUCCEEDED, done.status(), second.toString());
        assertEquals(List.of(Task.CONTINUED, "succeeded"),
                done.executions().stream().map(Execution::outcome).collect(Collectors.toList()));
        assertEquals(1, done.spentAttempts(), "a continuation is not a failed attempt");
        byte[] stored = cloud.clients().s3().getObjectAsBytes(get -> get.bucket(cloud.bucket())
                .key(S3ResultStore.key(task.id()))).asByteArray();
        assertArrayEquals(expected(parameters), stored);
        assertEquals(done.result().size(), stored.length);
        assertEquals(List.of(S3ResultStore.key(task.id())), cloud.resultKeys(), "the checkpoint is gone");
    }

    private static byte[] expected(Map<String, Object> parameters) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new StockReportJob().run(parameters, new RecordingJobContext(bytes));
        return bytes.toByteArray();
    }
}
