package dev.longhaul.core.usecase;

import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.port.TaskPage;
import dev.longhaul.core.port.TaskQuery;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists an owner's tasks, newest first, with filters and opaque page tokens: all of them, those
 * of one named queue, one parent's children, one schedule's tasks, or (with
 * {@code sharedWithMe=true}) the tasks other owners shared with the caller.
 */
public final class ListTasks {
    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;
    private static final Set<String> PARAMETERS =
            Set.of("status", "type", "createdAfter", "createdBefore", "pageSize", "pageToken", "queue", "parent",
                    "schedule", "sharedWithMe");

    private final TaskStore store;
    private final PageTokens tokens;
    private final Clock clock;

    public ListTasks(TaskStore store, PageTokens tokens, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A page and the token of the next one (null on the last page). */
    public record Listing(List<Task> tasks, String nextPageToken) {
    }

    public Listing execute(String owner, Map<String, String> query) {
        List<FieldError> errors = new ArrayList<>();
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                errors.add(new FieldError(name, "is not a known query parameter"));
            }
        }
        TaskStatus status = null;
        if (query.get("status") != null) {
            status = TaskStatus.fromWire(query.get("status"));
            if (status == null) {
                errors.add(new FieldError("status", "must be one of " + TaskStatus.wireNames()));
            }
        }
        String type = query.get("type");
        if (type != null && (type.isEmpty() || type.length() > 100)) {
            errors.add(new FieldError("type", "must be 1 to 100 characters"));
        }
        Instant after = instant(query, "createdAfter", errors);
        Instant before = instant(query, "createdBefore", errors);
        int pageSize = DEFAULT_PAGE_SIZE;
        String rawSize = query.get("pageSize");
        if (rawSize != null) {
            try {
                pageSize = Integer.parseInt(rawSize);
                if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                    errors.add(new FieldError("pageSize", "must be between 1 and " + MAX_PAGE_SIZE));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("pageSize", "must be an integer"));
            }
        }
        String queue = query.get("queue");
        if (queue != null && !CreateTask.QUEUE_NAME.matcher(queue).matches()) {
            errors.add(new FieldError("queue", "must match " + CreateTask.QUEUE_NAME.pattern()));
        }
        String parent = query.get("parent");
        if (parent != null && !TaskIds.isWellFormed(parent)) {
            errors.add(new FieldError("parent", "must be a task id"));
        }
        String schedule = query.get("schedule");
        if (schedule != null && !TaskIds.isWellFormed(schedule)) {
            errors.add(new FieldError("schedule", "must be a schedule id"));
        }
        String shared = query.get("sharedWithMe");
        if (shared != null && !shared.equals("true") && !shared.equals("false")) {
            errors.add(new FieldError("sharedWithMe", "must be true or false"));
        }
        boolean sharedWithMe = "true".equals(shared);
        int scopes = (queue == null ? 0 : 1) + (parent == null ? 0 : 1) + (schedule == null ? 0 : 1) + (sharedWithMe ? 1 : 0);
        if (scopes > 1) {
            errors.add(new FieldError("queue", "queue, parent, schedule and sharedWithMe=true cannot be combined"));
        }
        String filters = (status == null ? "" : status.wire()) + "|" + (type == null ? "" : type) + "|"
                + (after == null ? "" : after) + "|" + (before == null ? "" : before)
                + (scopes == 0 ? "" : "|" + (queue == null ? "" : "q:" + queue) + (parent == null ? "" : "p:" + parent)
                        + (schedule == null ? "" : "s:" + schedule) + (sharedWithMe ? "w" : ""));
        String startAfter = null;
        if (query.get("pageToken") != null && errors.isEmpty()) {
            startAfter = tokens.verify(owner, filters, query.get("pageToken"));
            if (startAfter == null) {
                errors.add(new FieldError("pageToken", "is not a valid page token for this query"));
            }
        }
        if (!errors.isEmpty()) {
            throw CreateTask.invalid(errors);
        }
        TaskPage page = store.list(owner, new TaskQuery(status, type, after, before, pageSize, startAfter, queue,
                parent, schedule, sharedWithMe));
        Instant now = clock.instant();
        List<Task> visible = new ArrayList<>();
        for (Task task : page.tasks()) {
            if (!task.isExpired(now) && task.readableBy(owner)) {
                visible.add(task);
            }
        }
        String next = page.lastId() == null ? null : tokens.sign(owner, filters, page.lastId());
        return new Listing(visible, next);
    }

    private static Instant instant(Map<String, String> query, String name, List<FieldError> errors) {
        String raw = query.get(name);
        if (raw == null) {
            return null;
        }
        try {
            Instant instant = Instant.parse(raw);
            // Instant.parse also takes years of up to nine digits, which RFC 3339 does not, and
            // whose epoch milliseconds (the id bounds of the query) overflow a long
            if (instant.isBefore(RFC_3339_MIN) || instant.isAfter(RFC_3339_MAX)) {
                throw new DateTimeParseException("year out of range", raw, 0);
            }
            return instant;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an RFC 3339 UTC timestamp such as 2026-11-25T08:00:00Z"));
            return null;
        }
    }

    private static final Instant RFC_3339_MIN = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant RFC_3339_MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");
}
