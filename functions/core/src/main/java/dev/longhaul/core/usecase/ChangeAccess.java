package dev.longhaul.core.usecase;

import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code PATCH /v1/tasks/{id}}: the owner replaces the task's {@code access} list, finished or
 * not (sharing a result is what it is most often for). The only member a task lets change.
 */
public final class ChangeAccess {
    private static final int MAX_ATTEMPTS = 5;

    private final GetTask getTask;
    private final TaskStore store;
    private final Clock clock;

    public ChangeAccess(GetTask getTask, TaskStore store, Clock clock) {
        this.getTask = getTask;
        this.store = store;
        this.clock = clock;
    }

    public Task execute(String owner, String id, Map<String, Object> body) {
        Task task = getTask.executeForOwner(owner, id);
        List<FieldError> errors = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!key.equals("access")) {
                errors.add(new FieldError(key, "cannot be changed; only access can"));
            }
        }
        if (!body.containsKey("access")) {
            errors.add(new FieldError("access", "is required"));
        }
        List<String> access = CreateTask.subjects(owner, body.get("access"), "access", errors);
        if (body.containsKey("access") && body.get("access") == null) {
            errors.add(new FieldError("access", "must be an array (empty to share with nobody)"));
        }
        if (!errors.isEmpty()) {
            throw CreateTask.invalid(errors);
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (task.options().access().equals(access)) {
                return task;
            }
            Task next = task.withAccess(access, clock.instant());
            if (store.changeAccess(task, next)) {
                return next;
            }
            task = getTask.executeForOwner(owner, id);
        }
        throw Problem.of(Problem.Kind.UNAVAILABLE, "task-busy", "Task busy",
                "The task kept changing; retry the change.").exception();
    }
}
