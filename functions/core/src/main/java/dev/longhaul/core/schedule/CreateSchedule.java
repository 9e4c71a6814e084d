package dev.longhaul.core.schedule;

import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.port.IdSource;
import dev.longhaul.core.usecase.CreateTask;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/schedules}: {@code cron} (in {@code timezone}, UTC by default) or {@code rate},
 * and the {@code task} each tick creates, validated as a create would validate it. At most
 * {@link #MAX_PER_OWNER} per owner.
 */
public final class CreateSchedule {
    public static final int MAX_PER_OWNER = 25;
    private static final Set<String> FIELDS = Set.of("cron", "rate", "timezone", "task");

    private final ScheduleStore store;
    private final CreateTask createTask;
    private final IdSource ids;
    private final Clock clock;
    private final Duration shortestRate;

    /** @param shortestRate the shortest {@code rate} accepted (a minute, unless a test asks for less) */
    public CreateSchedule(ScheduleStore store, CreateTask createTask, IdSource ids, Clock clock, Duration shortestRate) {
        this.store = store;
        this.createTask = createTask;
        this.ids = ids;
        this.clock = clock;
        this.shortestRate = shortestRate;
    }

    @SuppressWarnings("unchecked")
    public Schedule execute(String owner, Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        Object cron = body.get("cron");
        Object rate = body.get("rate");
        Object timezone = body.get("timezone");
        Instant now = clock.instant();
        ZoneId zone = ZoneId.of("UTC");
        if (timezone != null) {
            try {
                zone = ZoneId.of(timezone instanceof String text ? text : "");
            } catch (DateTimeException e) {
                errors.add(new FieldError("timezone", "must be an IANA time zone such as Europe/Madrid"));
            }
        }
        Recurrence recurrence = null;
        if ((cron == null) == (rate == null)) {
            errors.add(new FieldError(cron == null ? "cron" : "rate", "exactly one of cron and rate is required"));
        } else if (cron != null) {
            try {
                recurrence = Recurrence.cron(cron instanceof String text ? text : "", zone);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("cron", e.getMessage()));
            }
        } else {
            if (timezone != null) {
                errors.add(new FieldError("timezone", "applies to cron only"));
            }
            try {
                recurrence = Recurrence.rate(rate instanceof String text ? text : "", now, shortestRate);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("rate", e.getMessage()));
            }
        }
        Object task = body.get("task");
        if (!(task instanceof Map)) {
            errors.add(new FieldError("task", "is required: an object such as {\"type\": ..., \"parameters\": ...}"));
        } else {
            try {
                createTask.validateTemplate(owner, (Map<String, Object>) task);
            } catch (ProblemException e) {
                errors.addAll(fieldErrors(e));
            }
        }
        if (!errors.isEmpty()) {
            throw CreateTask.invalid(errors);
        }
        Schedule schedule = new Schedule(ids.newId(), owner, (String) cron, (String) rate,
                cron == null ? null : zone.getId(), (Map<String, Object>) task, now,
                recurrence.next(now).orElse(null), null, null, null, 1);
        try {
            store.add(schedule, MAX_PER_OWNER);
        } catch (ScheduleLimitException e) {
            throw Problem.of(Problem.Kind.CONFLICT, "schedule-limit-exceeded", "Too many schedules",
                    "An owner may have at most " + e.limit() + " schedules; delete one first.")
                    .with("limit", e.limit()).exception();
        }
        return schedule;
    }

    @SuppressWarnings("unchecked")
    private static List<FieldError> fieldErrors(ProblemException e) {
        List<FieldError> errors = new ArrayList<>();
        Object list = e.problem().extensions().get("errors");
        if (list instanceof List<?> items) {
            for (Object item : items) {
                Map<String, Object> error = (Map<String, Object>) item;
                errors.add(new FieldError((String) error.get("field"), (String) error.get("message")));
            }
        }
        return errors;
    }
}
