package dev.longhaul.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longhaul.core.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskCodecTest {

    private static Task fullyPopulated() {
        Instant t0 = Instant.parse("2025-03-01T10:00:00.123456789Z");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rows", 1000L);
        parameters.put("format", "csv");
        parameters.put("nested", Map.of("list", List.of(1L, "two", true)));
        TaskError error = new TaskError("demo-failure", "boom \"quoted\" \u00e9 \uD83D\uDE00");
        List<Execution> executions = List.of(
                new Execution(1, t0.plusSeconds(1), t0.plusSeconds(400), "abandoned", null),
                new Execution(2, t0.plusSeconds(400), t0.plusSeconds(500), "failed", error),
                new Execution(3, t0.plusSeconds(600), null, "running", null));
        return new Task("01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedc", "user-123", "report.stock", TaskStatus.RUNNING,
                42, "a description\nwith lines", parameters, t0, t0.plusSeconds(601), t0.plusSeconds(1),
                t0.plusSeconds(700), t0.plusSeconds(86_400), t0.plusSeconds(650), 3, executions, error,
                new TaskResult("text/csv; charset=utf-8", 123_456_789_012L), 17, true, "run-token-3",
                t0.plusSeconds(900), List.of(
                        new Notification(t0.plusSeconds(701), "task.succeeded", "wh_1", 1, 500, "retrying"),
                        new Notification(t0.plusSeconds(760), "task.succeeded", "wh_1", 2, null, "retrying")));
    }

    @Test
    void aFullyPopulatedTaskRoundTripsThroughJsonText() {
        Task task = fullyPopulated();
        String text = Json.write(TaskCodec.toJson(task));
        assertEquals(task, TaskCodec.fromJson(Json.parseObject(text)));
    }

    @Test
    void aMinimalTaskRoundTrips() {
        Task task = Task.create("id", "owner", "demo.sleep", null, Map.of(), Instant.parse("2025-01-01T00:00:00Z"));
        assertEquals(task, TaskCodec.fromJson(Json.parseObject(Json.write(TaskCodec.toJson(task)))));
    }

    @Test
    void statusIsWrittenInLowerCase() {
        assertEquals("running", TaskCodec.toJson(fullyPopulated()).get("status"));
    }

    @Test
    void anUnknownStatusIsRefused() {
        Map<String, Object> json = new LinkedHashMap<>(TaskCodec.toJson(fullyPopulated()));
        json.put("status", "paused");
        assertThrows(IllegalArgumentException.class, () -> TaskCodec.fromJson(json));
    }
}
