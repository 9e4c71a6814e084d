package dev.longhaul.core.schedule;

import dev.longhaul.core.task.TaskIds;

/** {@code DELETE /v1/schedules/{id}}: no tick after this one; the tasks it created stay. */
public final class DeleteSchedule {
    private final ScheduleStore store;

    public DeleteSchedule(ScheduleStore store) {
        this.store = store;
    }

    public void execute(String owner, String id) {
        if (!TaskIds.isWellFormed(id) || !store.remove(owner, id)) {
            throw ListSchedules.notFound();
        }
    }
}
