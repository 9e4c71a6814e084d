package dev.longhaul.core.port;

import dev.longhaul.core.task.Task;
import java.util.List;

/**
 * A page of tasks, newest first.
 *
 * @param lastId the id to continue after, or null when there are no more tasks
 */
public record TaskPage(List<Task> tasks, String lastId) {
    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
