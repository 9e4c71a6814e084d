package dev.longhaul.core.usecase;

import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.job.InvalidParametersException;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.port.IdSource;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.Task;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a create request completely, then stores the task and enqueues it. Nothing is
 * stored for a rejected request; if the enqueue fails after the write, the write is undone and
 * the client is told to retry (503), so no task is left queued with no message to run it.
 */
public final class CreateTask {
    public static final int MAX_DESCRIPTION_LENGTH = 1024;
    private static final Set<String> FIELDS = Set.of("type", "parameters", "description");

    private final TaskStore store;
    private final WorkQueue queue;
    private final JobRegistry jobs;
    private final IdSource ids;
    private final Clock clock;

    public CreateTask(TaskStore store, WorkQueue queue, JobRegistry jobs, IdSource ids, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.jobs = jobs;
        this.ids = ids;
        this.clock = clock;
    }

    @SuppressWarnings("unchecked")
    public Task execute(String owner, Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        Object type = body.get("type");
        Job job = null;
        if (type == null) {
            errors.add(new FieldError("type", "is required"));
        } else if (!(type instanceof String)) {
            errors.add(new FieldError("type", "must be a string"));
        } else {
            job = jobs.find((String) type).orElse(null);
            if (job == null) {
                errors.add(new FieldError("type", "is not a known task type; known types: "
                        + String.join(", ", jobs.types())));
            }
        }
        Object description = body.get("description");
        if (description != null && !(description instanceof String)) {
            errors.add(new FieldError("description", "must be a string"));
        } else if (description != null && ((String) description).length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        }
        Object rawParameters = body.get("parameters");
        Map<String, Object> parameters = null;
        if (rawParameters != null && !(rawParameters instanceof Map)) {
            errors.add(new FieldError("parameters", "must be an object"));
        } else if (job != null) {
            try {
                parameters = job.validate(rawParameters == null ? Map.of() : (Map<String, Object>) rawParameters);
            } catch (InvalidParametersException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        Task task = Task.create(ids.newId(), owner, job.type(), (String) description, parameters, clock.instant());
        store.create(task);
        try {
            queue.enqueue(task);
        } catch (RuntimeException enqueueFailure) {
            store.delete(task.id());
            throw Problem.of(Problem.Kind.UNAVAILABLE, "queue-unavailable", "Service unavailable",
                    "The task could not be queued and was not created. Retry the request.").exception();
        }
        return task;
    }

    public static ProblemException invalid(List<FieldError> errors) {
        List<Object> list = new ArrayList<>();
        for (FieldError e : errors) {
            list.add(e.toJson());
        }
        FieldError first = errors.get(0);
        return Problem.of(Problem.Kind.INVALID, "invalid-request", "Invalid request",
                        first.field() + " " + first.message()
                                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""))
                .with("errors", list).exception();
    }
}
