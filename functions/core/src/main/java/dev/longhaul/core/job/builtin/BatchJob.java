package dev.longhaul.core.job.builtin;

import dev.longhaul.core.job.Child;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.JobFailedException;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.job.Parameter;
import dev.longhaul.core.job.Parameters;
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

    private final Parameters parameters;

    /** @param registry the job types its tasks may have (a batch may not hold another batch) */
    public BatchJob(JobRegistry registry) {
        this.parameters = Parameters.of(Parameter.tasks("tasks", MAX_TASKS,
                () -> registry.jobs().stream().filter(job -> !job.type().equals(TYPE)).toList())
                .describedAs("The child tasks, each a type and its parameters, created in this order."));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Fans out and fans in: creates 1 to " + MAX_TASKS + " child tasks, waits for all of them "
                + "(nothing runs meanwhile) and succeeds with a JSON summary linking them, or fails with "
                + "child-failed naming the first child that did not succeed. Batches do not nest.";
    }

    @Override
    public Parameters parameters() {
        return parameters;
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
