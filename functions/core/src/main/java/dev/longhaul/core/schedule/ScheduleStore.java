package dev.longhaul.core.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where recurring schedules live, each owner's together. */
public interface ScheduleStore {

    /**
     * Stores a new schedule, if its owner has fewer than {@code maxPerOwner}.
     *
     * @throws ScheduleLimitException when the owner has that many already
     */
    void add(Schedule schedule, int maxPerOwner);

    Optional<Schedule> find(String owner, String id);

    /** The owner's schedules, oldest first. */
    List<Schedule> list(String owner);

    /** Removes the schedule; false when the owner has none with this id. */
    boolean remove(String owner, String id);

    /** Schedules whose next tick is at or before {@code now}, at most {@code limit}, from an index. */
    List<Schedule> due(Instant now, int limit);

    /** Writes {@code next} if the stored schedule is still at the revision before; false otherwise. */
    boolean update(Schedule next);
}
