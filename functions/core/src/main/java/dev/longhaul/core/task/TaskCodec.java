package dev.longhaul.core.task;

import dev.longhaul.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The complete internal JSON form of a task, owner and lease included. Never sent to clients. */
public final class TaskCodec {
    private TaskCodec() {
    }

    public static Map<String, Object> toJson(Task t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("owner", t.owner());
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
        m.put("executions", executionsToJson(t.executions()));
        m.put("error", t.error() == null ? null : t.error().toJson());
        m.put("result", t.result() == null ? null : t.result().toJson());
        m.put("revision", t.revision());
        m.put("cancelRequested", t.cancelRequested());
        m.put("runToken", t.runToken());
        m.put("leaseUntil", t.leaseUntil());
        m.put("notifications", notificationsToJson(t.notifications()));
        m.put("options", optionsToJson(t.options()));
        m.put("flow", flowToJson(t.flow()));
        m.put("relatives", relativesToJson(t.relatives()));
        return m;
    }

    public static Map<String, Object> optionsToJson(TaskOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", o.name());
        m.put("object", o.object());
        m.put("queue", o.queue());
        m.put("parent", o.parent());
        m.put("dependsOn", o.dependsOn());
        m.put("notBefore", o.notBefore());
        m.put("access", o.access());
        m.put("schedule", o.schedule());
        m.put("spawnIndex", o.spawnIndex());
        return m;
    }

    public static TaskOptions optionsFromJson(JsonObject o) {
        if (o == null) {
            return TaskOptions.NONE;
        }
        JsonObject object = o.object("object");
        Long index = o.longValue("spawnIndex");
        return new TaskOptions(o.string("name"), object == null ? null : object.map(), o.string("queue"),
                o.string("parent"), strings(o.list("dependsOn")), o.instant("notBefore"), strings(o.list("access")),
                o.string("schedule"), index == null ? null : index.intValue());
    }

    private static Map<String, Object> flowToJson(Flow f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("admitted", f.admitted());
        m.put("held", f.held());
        m.put("waiting", f.waiting());
        m.put("pending", f.pending());
        return m;
    }

    private static Flow flowFromJson(JsonObject o) {
        return o == null ? null : new Flow(o.bool("admitted"), o.bool("held"), o.bool("waiting"), strings(o.list("pending")));
    }

    private static Map<String, Object> relativesToJson(Relatives r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dependents", r.dependents());
        m.put("children", r.children());
        m.put("openChildren", r.openChildren());
        return m;
    }

    private static Relatives relativesFromJson(JsonObject o) {
        return o == null ? Relatives.NONE : new Relatives(strings(o.list("dependents")),
                intOr(o.longValue("children")), intOr(o.longValue("openChildren")));
    }

    /** The strings of a JSON array, anything else left out. */
    public static List<String> strings(List<Object> list) {
        List<String> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (item instanceof String s) {
                out.add(s);
            }
        }
        return out;
    }

    public static List<Object> executionsToJson(List<Execution> executions) {
        List<Object> list = new ArrayList<>(executions.size());
        for (Execution e : executions) {
            list.add(e.toJson());
        }
        return list;
    }

    public static Task fromJson(Map<String, Object> map) {
        JsonObject o = JsonObject.of(map);
        TaskStatus status = TaskStatus.fromWire(o.string("status"));
        if (status == null) {
            throw new IllegalArgumentException("unknown task status");
        }
        Long progress = o.longValue("progress");
        JsonObject params = o.object("parameters");
        return new Task(o.string("id"), o.string("owner"), o.string("type"), status,
                progress == null ? null : progress.intValue(), o.string("description"),
                params == null ? Map.of() : params.map(), o.instant("createdAt"), o.instant("updatedAt"),
                o.instant("startedAt"), o.instant("finishedAt"), o.instant("expiresAt"), o.instant("eta"),
                intOr(o.longValue("attempts")), executionsFromJson(o.list("executions")),
                errorFromJson(o.object("error")), resultFromJson(o.object("result")),
                o.longValue("revision") == null ? 0 : o.longValue("revision"), o.bool("cancelRequested"),
                o.string("runToken"), o.instant("leaseUntil"), notificationsFromJson(o.list("notifications")),
                optionsFromJson(o.object("options")), flowFromJson(o.object("flow")), relativesFromJson(o.object("relatives")));
    }

    public static List<Object> notificationsToJson(List<Notification> notifications) {
        List<Object> list = new ArrayList<>(notifications.size());
        for (Notification n : notifications) {
            list.add(n.toJson());
        }
        return list;
    }

    @SuppressWarnings("unchecked")
    public static List<Notification> notificationsFromJson(List<Object> list) {
        List<Notification> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (item instanceof Map) {
                JsonObject n = JsonObject.of((Map<String, Object>) item);
                Long status = n.longValue("statusCode");
                out.add(new Notification(n.instant("at"), n.string("event"), n.string("subscriptionId"),
                        intOr(n.longValue("attempt")), status == null ? null : status.intValue(), n.string("outcome")));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static List<Execution> executionsFromJson(List<Object> list) {
        List<Execution> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (item instanceof Map) {
                JsonObject e = JsonObject.of((Map<String, Object>) item);
                out.add(new Execution(intOr(e.longValue("attempt")), e.instant("startedAt"),
                        e.instant("finishedAt"), e.string("outcome"), errorFromJson(e.object("error"))));
            }
        }
        return out;
    }

    public static TaskError errorFromJson(JsonObject o) {
        return o == null || o.string("code") == null ? null : new TaskError(o.string("code"), o.string("message"));
    }

    public static TaskResult resultFromJson(JsonObject o) {
        if (o == null) {
            return null;
        }
        Long size = o.longValue("size");
        return new TaskResult(o.string("contentType"), size == null ? 0 : size);
    }

    private static int intOr(Long value) {
        return value == null ? 0 : value.intValue();
    }
}
