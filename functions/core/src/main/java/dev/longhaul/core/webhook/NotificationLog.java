package dev.longhaul.core.webhook;

import dev.longhaul.core.task.Notification;

/** Appends delivery attempts to a task's {@code notifications}, changing nothing else of it. */
public interface NotificationLog {

    /** False, recording nothing, when the task no longer exists. */
    boolean append(String taskId, Notification notification);
}
