package dev.longhaul.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.SampleTasks;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Mock tier: the item mapping alone, no emulator. */
class TaskItemMapperTest {
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");
    private static final Duration RETENTION = Duration.ofHours(1);

    static Task queued() {
        return SampleTasks.queued(T0);
    }

    @Test
    void queuedTaskRoundTripsWithNullsLeftOut() {
        Task task = queued();
        Map<String, AttributeValue> item = TaskItemMapper.toItem(task);

        assertEquals(task, TaskItemMapper.fromItem(item));
        for (String absent : List.of("progress", "startedAt", "finishedAt", "expiresAt", "eta", "leaseUntil",
                "ttl", "error", "result", "runToken")) {
            assertFalse(item.containsKey(absent), absent + " should be left out");
        }
        assertEquals("queued", item.get("status").s());
        assertEquals("1", item.get("revision").n());
        assertEquals("[]", item.get("executions").s());
        assertEquals(T0.toString(), item.get("createdAt").s());
    }

    @Test
    void aLongOwnerIsItsDigestInTheIndexKeyAndWholeInItsOwnAttribute() {
        String owner = "o".repeat(10_000);
        Task task = Task.create(queued().id(), owner, "report", null, Map.of(), T0);
        Map<String, AttributeValue> item = TaskItemMapper.toItem(task);
        assertEquals(OwnerKeys.key(owner), item.get(TaskItemMapper.OWNER).s());
        assertEquals(owner, item.get(TaskItemMapper.SUBJECT).s());
        assertEquals(task, TaskItemMapper.fromItem(item));
        // a short owner is its own key, stored once
        Map<String, AttributeValue> shortOwner = TaskItemMapper.toItem(queued());
        assertEquals(queued().owner(), shortOwner.get(TaskItemMapper.OWNER).s());
        assertFalse(shortOwner.containsKey(TaskItemMapper.SUBJECT));
    }

    @Test
    void everyFieldRoundTripsThroughTheLifecycle() {
        Instant t1 = T0.plusSeconds(1);
        Task running = queued().start("token-1", t1, t1.plusSeconds(60)).progress(40, t1.plusSeconds(5),
                t1.plusSeconds(65));
        // A lease takeover leaves an abandoned execution behind; a cancel request sets the flag.
        Task takenOver = running.start("token-2", t1.plusSeconds(120), t1.plusSeconds(180))
                .progress(50, t1.plusSeconds(130), t1.plusSeconds(190))
                .requestCancel(t1.plusSeconds(131), RETENTION);
        Task failed = takenOver.fail(new TaskError("job_failed", "kaputt ☹"), t1.plusSeconds(140), RETENTION);
        Task succeeded = queued().start("t", t1, t1.plusSeconds(60))
                .succeed(new TaskResult("text/csv; charset=utf-8", 20L * 1024 * 1024), t1.plusSeconds(9), RETENTION);

        for (Task task : List.of(running, takenOver, failed, succeeded)) {
            Map<String, AttributeValue> item = TaskItemMapper.toItem(task);
            assertEquals(task, TaskItemMapper.fromItem(item), task.status() + " round trip");
        }

        Map<String, AttributeValue> runningItem = TaskItemMapper.toItem(takenOver);
        assertEquals("token-2", runningItem.get("runToken").s());
        assertTrue(runningItem.get("cancelRequested").bool());
        assertEquals(2, takenOver.executions().size());
        assertEquals("abandoned", takenOver.executions().get(0).outcome());

        Map<String, AttributeValue> failedItem = TaskItemMapper.toItem(failed);
        assertEquals("job_failed", failedItem.get("error").m().get("code").s());
        assertEquals("kaputt ☹", failedItem.get("error").m().get("message").s());

        Map<String, AttributeValue> succeededItem = TaskItemMapper.toItem(succeeded);
        assertEquals("text/csv; charset=utf-8", succeededItem.get("result").m().get("contentType").s());
        assertEquals(Long.toString(20L * 1024 * 1024), succeededItem.get("result").m().get("size").n());
        assertEquals("100", succeededItem.get("progress").n());
    }

    @Test
    void ttlIsExpiresAtInEpochSecondsRoundedUp() {
        Task done = queued().requestCancel(T0.plusSeconds(2), RETENTION);
        Map<String, AttributeValue> item = TaskItemMapper.toItem(done);

        Instant expiresAt = Instant.parse(item.get("expiresAt").s());
        assertEquals(done.expiresAt(), expiresAt);
        // T0 has a fraction of a second, so the TTL second is the next whole one, never earlier.
        assertEquals(expiresAt.getEpochSecond() + 1, Long.parseLong(item.get("ttl").n()));
        assertEquals(done.ttlEpochSeconds(), Long.valueOf(item.get("ttl").n()));
    }

    @Test
    void parametersAreStoredAsCompactJsonText() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("a", 1L);
        params.put("b", new ArrayList<>(Arrays.asList("x", null)));
        Task task = Task.create("id", "o", "t", null, params, T0);

        Map<String, AttributeValue> item = TaskItemMapper.toItem(task);

        assertEquals("{\"a\":1,\"b\":[\"x\",null]}", item.get("parameters").s());
        assertFalse(item.containsKey("description"));
        assertEquals(task, TaskItemMapper.fromItem(item));
    }
}
