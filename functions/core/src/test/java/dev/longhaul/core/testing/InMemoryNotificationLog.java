package dev.longhaul.core.testing;

import dev.longhaul.core.task.Notification;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.webhook.NotificationLog;
import java.util.ArrayList;
import java.util.List;

/** Appends to the notifications of tasks in an {@link InMemoryTaskStore}, as the DynamoDB list_append does. */
public final class InMemoryNotificationLog implements NotificationLog {
    private final InMemoryTaskStore tasks;

    public InMemoryNotificationLog(InMemoryTaskStore tasks) {
        this.tasks = tasks;
    }

    @Override
    public boolean append(String taskId, Notification notification) {
        Task task = tasks.find(taskId).orElse(null);
        if (task == null) {
            return false;
        }
        List<Notification> all = new ArrayList<>(task.notifications());
        all.add(notification);
        tasks.put(new Task(task.id(), task.owner(), task.type(), task.status(), task.progress(), task.description(),
                task.parameters(), task.createdAt(), task.updatedAt(), task.startedAt(), task.finishedAt(),
                task.expiresAt(), task.eta(), task.attempts(), task.executions(), task.error(), task.result(),
                task.revision(), task.cancelRequested(), task.runToken(), task.leaseUntil(), all));
        return true;
    }
}
