package dev.longhaul.core.usecase;

import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;

/**
 * Deletes a task and its result. A running task's worker finds its task gone at its next
 * progress point or final write, stops, and removes anything it wrote. Its children are deleted
 * in turn by whoever follows the removal (see {@link CoordinateTasks}). Only the owner may delete
 * (a subject the task is shared with gets 403).
 */
public final class DeleteTask {
    private static final int MAX_ATTEMPTS = 5;

    private final TaskStore store;
    private final ResultStore results;

    public DeleteTask(TaskStore store, ResultStore results) {
        this.store = store;
        this.results = results;
    }

    public void execute(String owner, String id) {
        if (!TaskIds.isWellFormed(id)) {
            throw GetTask.notFound();
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Task task = store.find(id).filter(t -> t.readableBy(owner)).orElseThrow(GetTask::notFound);
            if (!task.owner().equals(owner)) {
                throw GetTask.forbidden();
            }
            if (store.delete(task)) {
                results.delete(id);
                return;
            }
        }
        throw Problem.of(Problem.Kind.UNAVAILABLE, "task-busy", "Task busy",
                "The task kept changing; retry the delete.").exception();
    }
}
