package dev.longhaul.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Execution;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The worker runs a batch's messages one after another, so a slow one can leave the rest no
 * time. Three 3 s demo.sleep tasks in one batch under a 5 s timeout: the worker starts only what
 * fits in the time left and sends the rest on as fresh messages, so none is left running (killed
 * at the timeout) or spends a receive; all three succeed, one per invocation.
 */
class BatchDeadlineTest {
    private static final int TIMEOUT_MILLIS = 5000;

    @Test
    void threeSlowTasksInOneBatchUnderAShortTimeoutAllSucceed() throws Exception {
        TestCloud cloud = TestCloud.get();
        cloud.reset();
        Map<String, String> environment = new HashMap<>(cloud.environment("WorkerFunction"));
        environment.put("YIELD_MARGIN_SECONDS", "1");
        WorkerHandler worker = new WorkerHandler(environment);
        DynamoDbTaskStore store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Task task = Task.create(TaskIds.create().newId(), "user-batch", "demo.sleep", null,
                    Map.of("seconds", 3L, "steps", 3L), Instant.now());
            store.create(task);
            ids.add(task.id());
            bodies.add(Json.write(TaskCodec.toJson(task)));
        }

        int invocations = 0;
        while (!bodies.isEmpty() && invocations < 6) {
            invocations++;
            long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            worker.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(SampleEvents.sqsBatch(bodies))), out,
                    new ShrinkingContext(() -> (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
            assertEquals("{\"batchItemFailures\":[]}", out.toString(), "no message goes back to spend a receive");
            bodies = cloud.drain().stream().map(message -> message.body()).collect(Collectors.toList());
        }

        assertEquals(3, invocations, "one task per invocation: after one, the time left fits no other");
        for (String id : ids) {
            Task done = store.find(id).orElseThrow();
            assertEquals(TaskStatus.SUCCEEDED, done.status(), done.toString());
            assertEquals(List.of("succeeded"), done.executions().stream().map(Execution::outcome).toList(),
                    "started once, never cut off");
        }
    }
}
