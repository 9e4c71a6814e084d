package dev.longhaul.core.testing;

import dev.longhaul.core.schedule.Schedule;
import dev.longhaul.core.schedule.ScheduleLimitException;
import dev.longhaul.core.schedule.ScheduleStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link ScheduleStore} with the port's conditional semantics. */
public final class InMemoryScheduleStore implements ScheduleStore {
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();
    private int updates;

    @Override
    public synchronized void add(Schedule schedule, int maxPerOwner) {
        if (list(schedule.owner()).size() >= maxPerOwner) {
            throw new ScheduleLimitException(maxPerOwner);
        }
        schedules.put(schedule.id(), schedule);
    }

    @Override
    public synchronized Optional<Schedule> find(String owner, String id) {
        return Optional.ofNullable(schedules.get(id)).filter(s -> s.owner().equals(owner));
    }

    @Override
    public synchronized List<Schedule> list(String owner) {
        List<Schedule> own = new ArrayList<>();
        for (Schedule s : schedules.values()) {
            if (s.owner().equals(owner)) {
                own.add(s);
            }
        }
        return own;
    }

    @Override
    public synchronized boolean remove(String owner, String id) {
        return find(owner, id).map(s -> schedules.remove(id) != null).orElse(false);
    }

    @Override
    public synchronized List<Schedule> due(Instant now, int limit) {
        List<Schedule> due = new ArrayList<>();
        for (Schedule s : schedules.values()) {
            if (s.nextTick() != null && !s.nextTick().isAfter(now)) {
                due.add(s);
            }
        }
        due.sort(Comparator.comparing(Schedule::nextTick));
        return due.size() > limit ? due.subList(0, limit) : due;
    }

    @Override
    public synchronized boolean update(Schedule next) {
        updates++;
        Schedule stored = schedules.get(next.id());
        if (stored == null || stored.revision() != next.revision() - 1) {
            return false;
        }
        schedules.put(next.id(), next);
        return true;
    }

    public synchronized Schedule get(String id) {
        return schedules.get(id);
    }

    public synchronized int updates() {
        return updates;
    }
}
