package dev.longhaul.core.job.builtin;

import dev.longhaul.core.job.Child;
import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.job.InvalidParametersException;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.JobFailedException;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code batch}: fans out and fans in. Its parameters list 1 to 100 tasks ({@code type} and
 * {@code parameters}, each validated as a create validates them); it creates them as its
 * children, waits (no Lambda runs meanwhile) until they have all finished, then succeeds with a
 * JSON summary linking them, or fails with {@code child-failed} naming the first that did not
 * succeed.
 */
public final class BatchJob implements Job {
    public static final String TYPE = "batch";
    public static final int MAX_TASKS = 100;

    private final JobRegistry registry;

    /** @param registry the job types its tasks may have (a batch may not hold another batch) */
    public BatchJob(JobRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> validate(Map<String, Object> parameters) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : parameters.keySet()) {
            if (!key.equals("tasks")) {
                errors.add(new FieldError("parameters." + key, "is not a known parameter"));
            }
        }
        Object raw = parameters.get("tasks");
        List<Object> tasks = new ArrayList<>();
        if (!(raw instanceof List<?> list) || list.isEmpty() || list.size() > MAX_TASKS) {
            errors.add(new FieldError("parameters.tasks", "must be an array of 1 to " + MAX_TASKS + " tasks"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                Map<String, Object> entry = entry(list.get(i), "parameters.tasks[" + i + "]", errors);
                if (entry != null) {
                    tasks.add(entry);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        return Map.of("tasks", List.copyOf(tasks));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> entry(Object raw, String path, List<FieldError> errors) {
        if (!(raw instanceof Map)) {
            errors.add(new FieldError(path, "must be an object with type and parameters"));
            return null;
        }
        Map<String, Object> entry = (Map<String, Object>) raw;
        int before = errors.size();
        for (String key : entry.keySet()) {
            if (!key.equals("type") && !key.equals("parameters")) {
                errors.add(new FieldError(path + "." + key, "is not a known field"));
            }
        }
        Object type = entry.get("type");
        Job job = type instanceof String name && !name.equals(TYPE) ? registry.find(name).orElse(null) : null;
        if (job == null) {
            errors.add(new FieldError(path + ".type", TYPE.equals(type) ? "cannot be batch: batches do not nest"
                    : "is not a known task type; known types: " + String.join(", ", registry.types())));
        }
        Object parameters = entry.get("parameters");
        if (parameters != null && !(parameters instanceof Map)) {
            errors.add(new FieldError(path + ".parameters", "must be an object"));
            return null;
        }
        if (job == null) {
            return null;
        }
        try {
            Map<String, Object> validated = job.validate(parameters == null ? Map.of() : (Map<String, Object>) parameters);
            if (errors.size() > before) {
                return null;
            }
            Map<String, Object> normalized = new LinkedHashMap<>();
            normalized.put("type", job.type());
            normalized.put("parameters", validated);
            return normalized;
        } catch (InvalidParametersException e) {
            for (FieldError error : e.errors()) {
                errors.add(new FieldError(path + "." + error.field(), error.message()));
            }
            return null;
        }
    }

    @Override
    public String contentType(Map<String, Object> parameters) {
        return "application/json";
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run(Map<String, Object> parameters, JobContext context) throws Exception {
        List<Object> tasks = (List<Object>) parameters.get("tasks");
        List<String> ids = new ArrayList<>(tasks.size());
        for (Object task : tasks) {
            Map<String, Object> entry = (Map<String, Object>) task;
            ids.add(context.spawn((String) entry.get("type"), (Map<String, Object>) entry.get("parameters")));
            context.progress(0); // a heartbeat while a hundred children are created
        }
        context.awaitChildren();
        Map<String, Child> children = new LinkedHashMap<>();
        for (Child child : context.children()) {
            children.put(child.id(), child);
        }
        List<Object> summary = new ArrayList<>(ids.size());
        for (String id : ids) {
            Child child = children.get(id);
            if (child == null || child.status() != TaskStatus.SUCCEEDED) {
                throw new JobFailedException("child-failed", "Child task " + id + describe(child) + ".");
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", id);
            item.put("type", child.type());
            item.put("status", child.status().wire());
            item.put("links", Map.of("self", "/v1/tasks/" + id, "result", "/v1/tasks/" + id + "/result"));
            summary.add(item);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("succeeded", ids.size());
        result.put("children", summary);
        context.output().write(Json.write(result).getBytes(StandardCharsets.UTF_8));
        context.progress(100);
    }

    private static String describe(Child child) {
        if (child == null) {
            return " was deleted";
        }
        String what = " (" + child.type() + ") ";
        if (child.status() == TaskStatus.FAILED) {
            return what + "failed" + (child.error() == null ? "" : ": " + child.error().code() + ": " + child.error().message());
        }
        return what + (child.status() == TaskStatus.CANCELLED ? "was cancelled" : "did not finish");
    }
}
