package dev.longhaul.api;

import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** The public JSON of a task: everything but the owner and the worker's lease. */
final class TaskRepresentation {
    private TaskRepresentation() {
    }

    static String selfPath(String id) {
        return "/v1/tasks/" + id;
    }

    static String resultPath(String id) {
        return selfPath(id) + "/result";
    }

    static Map<String, Object> of(Task t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("type", t.type());
        m.put("status", t.status().wire());
        m.put("progress", t.progress());
        m.put("description", t.description());
        m.put("parameters", t.parameters());
        m.put("createdAt", t.createdAt());
        m.put("updatedAt", t.updatedAt());
        m.put("startedAt", t.startedAt());
        m.put("finishedAt", t.finishedAt());
        m.put("expiresAt", t.expiresAt());
        m.put("eta", t.eta());
        m.put("attempts", t.attempts());
        m.put("executions", TaskCodec.executionsToJson(t.executions()));
        m.put("error", t.error() == null ? null : t.error().toJson());
        m.put("result", t.result() == null ? null : t.result().toJson());
        m.put("notifications", TaskCodec.notificationsToJson(t.notifications()));
        m.put("cancelRequested", t.cancelRequested());
        m.put("revision", t.revision());
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", selfPath(t.id()));
        links.put("result", t.status() == TaskStatus.SUCCEEDED ? resultPath(t.id()) : null);
        links.put("cancel", t.status().isActive() ? selfPath(t.id()) + "/cancel" : null);
        m.put("links", links);
        return m;
    }
}
