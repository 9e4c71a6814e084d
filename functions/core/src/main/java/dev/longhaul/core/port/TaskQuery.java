package dev.longhaul.core.port;

import dev.longhaul.core.task.TaskStatus;
import java.time.Instant;

/**
 * Filters and position of a task listing. Null filters match everything. At most one of
 * {@code queue}, {@code parent}, {@code schedule} and {@code sharedWithMe} is set: it chooses the
 * index read (the owner's tasks otherwise).
 *
 * @param startAfterId  the id of the last task of the previous page, or null for the first page
 * @param sharedWithMe  the tasks other owners shared with the caller instead of the caller's own
 */
public record TaskQuery(TaskStatus status, String type, Instant createdAfter, Instant createdBefore,
                        int pageSize, String startAfterId, String queue, String parent, String schedule,
                        boolean sharedWithMe) {

    /** A listing of the owner's own tasks. */
    public TaskQuery(TaskStatus status, String type, Instant createdAfter, Instant createdBefore, int pageSize,
                     String startAfterId) {
        this(status, type, createdAfter, createdBefore, pageSize, startAfterId, null, null, null, false);
    }

    /** True when a task matches the status, type and creation-time filters. */
    public boolean matches(dev.longhaul.core.task.Task task) {
        return (status == null || task.status() == status)
                && (type == null || task.type().equals(type))
                && (createdAfter == null || task.createdAt().isAfter(createdAfter))
                && (createdBefore == null || task.createdAt().isBefore(createdBefore));
    }
}
