package dev.longhaul.core.log;

import dev.longhaul.core.json.Json;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics in CloudWatch Embedded Metric Format: one JSON log line per data point, which
 * CloudWatch turns into a metric with no API call and no extra latency. Namespace
 * {@code Longhaul}, dimensions {@code Function} and, where given, {@code TaskType}.
 */
public final class Metrics {
    public static final String NAMESPACE = "Longhaul";
    /** Writes nothing: for tests and callers that do not measure. */
    public static final Metrics NONE = new Metrics(null, "none");

    private final PrintStream out;
    private final String function;

    public Metrics(PrintStream out, String function) {
        this.out = out;
        this.function = function;
    }

    public static Metrics stdout(String function) {
        return new Metrics(System.out, function);
    }

    public void count(String name, String taskType) {
        emit(name, 1, "Count", taskType, null);
    }

    public void milliseconds(String name, long value, String taskType, String taskId) {
        emit(name, value, "Milliseconds", taskType, taskId);
    }

    private void emit(String name, double value, String unit, String taskType, String taskId) {
        if (out == null) {
            return;
        }
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("Name", name);
        metric.put("Unit", unit);
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", NAMESPACE);
        directive.put("Dimensions", taskType == null ? List.of(List.of("Function"))
                : List.of(List.of("Function"), List.of("Function", "TaskType")));
        directive.put("Metrics", List.of(metric));
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", System.currentTimeMillis());
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", aws);
        line.put("Function", function);
        if (taskType != null) {
            line.put("TaskType", taskType);
        }
        if (taskId != null) {
            line.put("taskId", taskId);
        }
        line.put(name, value);
        out.println(Json.write(line));
    }
}
