package dev.longhaul.api;

import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskOptions;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.usecase.DescribeTasks;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** A task as its owner sees it, without what only the store's indexes know. */
    static Map<String, Object> of(Task t) {
        return of(new DescribeTasks.TaskView(t, null, null, t.progress()), t.owner());
    }

    /**
     * A task as {@code caller} sees it: its owner, or a subject it is shared with (who is shown
     * neither the other grants nor the cancel link).
     */
    static Map<String, Object> of(DescribeTasks.TaskView view, String caller) {
        Task t = view.task();
        boolean owner = t.owner().equals(caller);
        TaskOptions o = t.options();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("type", t.type());
        m.put("status", t.status().wire());
        m.put("progress", view.progress());
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
        m.put("name", o.name());
        m.put("object", o.object());
        m.put("queue", o.queue());
        m.put("queuePosition", view.queuePosition());
        m.put("parent", o.parent());
        m.put("children", view.children());
        m.put("dependsOn", o.dependsOn());
        m.put("notBefore", o.notBefore());
        m.put("access", owner ? o.access() : List.of());
        m.put("schedule", o.schedule());
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", selfPath(t.id()));
        links.put("result", t.status() == TaskStatus.SUCCEEDED ? resultPath(t.id()) : null);
        links.put("cancel", owner && t.status().isActive() ? selfPath(t.id()) + "/cancel" : null);
        m.put("links", links);
        return m;
    }
}
