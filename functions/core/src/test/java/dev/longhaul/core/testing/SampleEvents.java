package dev.longhaul.core.testing;

import dev.longhaul.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the sample events in the repository's {@code events/} folder: the same files
 * {@code sam local invoke -e} uses. Tests adapt them (a real task id, another body) in memory;
 * no copies live under {@code src/test/resources}.
 */
public final class SampleEvents {
    /** The task id the sample events use; tests replace it with a real one. */
    public static final String SAMPLE_TASK_ID = "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2a";

    private SampleEvents() {
    }

    public static Path directory() {
        String dir = System.getProperty("longhaul.events.dir");
        Path path = dir != null ? Path.of(dir) : locateFrom(Path.of("").toAbsolutePath());
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("events directory not found: " + path);
        }
        return path;
    }

    private static Path locateFrom(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("events")) && Files.exists(p.resolve("template.yaml"))) {
                return p.resolve("events");
            }
        }
        return start.resolve("events");
    }

    public static String text(String name) {
        try {
            return Files.readString(directory().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event as a mutable map (nested maps are mutable too). */
    public static Map<String, Object> load(String name) {
        return mutableCopy(Json.parseObject(text(name)));
    }

    /** The event with the sample task id replaced by {@code taskId} everywhere. */
    public static Map<String, Object> forTask(String name, String taskId) {
        return mutableCopy(Json.parseObject(text(name).replace(SAMPLE_TASK_ID, taskId)));
    }

    /** The API event with another body. */
    public static Map<String, Object> withBody(String name, String body) {
        Map<String, Object> event = load(name);
        event.put("body", body);
        return event;
    }

    /** The SQS batch event with one record per given body. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> sqsBatch(List<String> bodies) {
        Map<String, Object> event = load("sqs-task-batch.json");
        Map<String, Object> template = (Map<String, Object>) ((List<Object>) event.get("Records")).get(0);
        List<Object> records = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            Map<String, Object> record = mutableCopy(template);
            record.put("messageId", "message-" + i);
            record.put("body", bodies.get(i));
            records.add(record);
        }
        event.put("Records", records);
        return event;
    }

    public static byte[] bytes(Map<String, Object> event) {
        return Json.write(event).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutableCopy(Map<String, Object> source) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : source.entrySet()) {
            Object v = e.getValue();
            copy.put(e.getKey(), v instanceof Map ? mutableCopy((Map<String, Object>) v) : v);
        }
        return copy;
    }
}
