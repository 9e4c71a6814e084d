package dev.longhaul.core.webhook;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a delivery, in the Standard Webhooks shape {@code {type, timestamp, data}}: the
 * task's metadata and links. Never its parameters or result, which may be sensitive and which
 * the receiver fetches with its own credentials.
 */
public final class WebhookPayload {
    private WebhookPayload() {
    }

    public static String of(WebhookEvent event, Task task) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", task.id());
        data.put("type", task.type());
        data.put("status", task.status().wire());
        data.put("description", task.description());
        data.put("progress", task.progress());
        data.put("createdAt", task.createdAt());
        data.put("startedAt", task.startedAt());
        data.put("finishedAt", task.finishedAt());
        data.put("expiresAt", task.expiresAt());
        data.put("attempts", task.attempts());
        data.put("error", task.error() == null ? null : task.error().toJson());
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", "/v1/tasks/" + task.id());
        links.put("result", task.status() == TaskStatus.SUCCEEDED ? "/v1/tasks/" + task.id() + "/result" : null);
        data.put("links", links);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.wire());
        body.put("timestamp", task.finishedAt() != null ? task.finishedAt() : task.updatedAt());
        body.put("data", data);
        return Json.write(body);
    }
}
