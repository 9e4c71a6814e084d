package dev.longhaul.core.log;

import dev.longhaul.core.json.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs: one JSON object per line on stdout (CloudWatch Logs keeps each line as an
 * event). Carries the request id and the task id when known. Never pass parameters, results or
 * secrets as fields.
 */
public final class JsonLog {
    private final PrintStream out;
    private final String logger;

    public JsonLog(PrintStream out, String logger) {
        this.out = out;
        this.logger = logger;
    }

    public static JsonLog stdout(String logger) {
        return new JsonLog(System.out, logger);
    }

    public void info(String message, Object... fields) {
        emit("INFO", message, null, fields);
    }

    public void warn(String message, Object... fields) {
        emit("WARN", message, null, fields);
    }

    /** Logs a failure with its type and message; never the stack of task data. */
    public void error(String message, Throwable error, Object... fields) {
        emit("ERROR", message, error, fields);
    }

    private void emit(String level, String message, Throwable error, Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("logger", logger);
        line.put("message", message);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            line.put(String.valueOf(fields[i]), fields[i + 1] == null ? null : String.valueOf(fields[i + 1]));
        }
        if (error != null) {
            line.put("errorType", error.getClass().getName());
            line.put("errorMessage", String.valueOf(error.getMessage()));
            StackTraceElement[] trace = error.getStackTrace();
            if (trace.length > 0) {
                line.put("errorAt", trace[0].toString());
            }
        }
        out.println(Json.write(line));
    }
}
