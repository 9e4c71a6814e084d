package dev.longhaul.core.schedule;

import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;
import java.util.List;

/** {@code GET /v1/schedules} and {@code GET /v1/schedules/{id}}: an owner's own schedules only. */
public final class ListSchedules {
    private final ScheduleStore store;

    public ListSchedules(ScheduleStore store) {
        this.store = store;
    }

    public List<Schedule> execute(String owner) {
        return store.list(owner);
    }

    public Schedule get(String owner, String id) {
        if (!TaskIds.isWellFormed(id)) {
            throw notFound();
        }
        return store.find(owner, id).orElseThrow(ListSchedules::notFound);
    }

    static ProblemException notFound() {
        return Problem.of(Problem.Kind.NOT_FOUND, "schedule-not-found", "Schedule not found",
                "No schedule with this id exists for the caller.").exception();
    }
}
