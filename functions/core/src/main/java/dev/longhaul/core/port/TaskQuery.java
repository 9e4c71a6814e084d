package dev.longhaul.core.port;

import dev.longhaul.core.task.TaskStatus;
import java.time.Instant;

/**
 * Filters and position of a task listing. Null filters match everything.
 *
 * @param startAfterId the id of the last task of the previous page, or null for the first page
 */
public record TaskQuery(TaskStatus status, String type, Instant createdAfter, Instant createdBefore,
                        int pageSize, String startAfterId) {
}
