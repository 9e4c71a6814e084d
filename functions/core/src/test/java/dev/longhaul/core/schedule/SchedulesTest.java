package dev.longhaul.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.Flows;
import dev.longhaul.core.testing.InMemoryScheduleStore;
import dev.longhaul.core.usecase.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recurring schedules: created, listed, deleted; each tick creates one task, exactly once. */
class SchedulesTest {
    private final Flows flows = new Flows(JobRegistry.builtIn(true), 2);
    private final InMemoryScheduleStore schedules = new InMemoryScheduleStore();
    private final CreateSchedule create = new CreateSchedule(schedules, flows.create, flows.ids, flows.clock,
            Duration.ofMinutes(1));
    private final TickSchedules tick = new TickSchedules(schedules, flows.create, flows.clock, 100);

    private static Map<String, Object> body(Object... fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return body;
    }

    private static Map<String, Object> sleepTask() {
        return Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0), "queue", "nightly");
    }

    private List<Task> tasksOf(Schedule s) {
        return flows.store.list("alice", new dev.longhaul.core.port.TaskQuery(null, null, null, null, 100, null, null,
                null, s.id(), false)).tasks();
    }

    @Test
    void eachTickCreatesOneTaskExactlyOnce() {
        Schedule s = create.execute("alice", body("cron", "* * * * *", "task", sleepTask()));
        assertEquals(Instant.parse("2026-11-25T08:01:00Z"), s.nextTick());
        tick.execute();
        assertEquals(List.of(), tasksOf(s), "not before its tick");
        flows.clock.advance(Duration.ofSeconds(61));
        tick.execute();
        tick.execute(); // a duplicate run finds nothing due
        List<Task> tasks = tasksOf(s);
        assertEquals(1, tasks.size());
        assertEquals(s.id(), tasks.get(0).options().schedule());
        assertEquals("nightly", tasks.get(0).options().queue());
        Schedule after = schedules.get(s.id());
        assertEquals(Instant.parse("2026-11-25T08:01:00Z"), after.lastTick());
        assertEquals(Instant.parse("2026-11-25T08:02:00Z"), after.nextTick());
        assertEquals(tasks.get(0).id(), after.lastTaskId());
        assertNull(after.lastError());
        flows.clock.advance(Duration.ofMinutes(1));
        tick.execute();
        assertEquals(2, tasksOf(s).size());
    }

    @Test
    void aTickRetriedAfterItsTaskWasCreatedFindsThatTask() {
        Schedule s = create.execute("alice", body("rate", "5 minutes", "task", sleepTask()));
        flows.clock.advance(Duration.ofMinutes(5));
        // a first sweep created the task, then died before moving the schedule on
        Task first = flows.create.tick("alice", s.id(), s.task(), s.nextTick()).task();
        tick.execute();
        assertEquals(List.of(first.id()), tasksOf(s).stream().map(Task::id).toList());
        assertEquals(first.id(), schedules.get(s.id()).lastTaskId());
    }

    @Test
    void twoSweepsRacingMoveTheScheduleOnOnce() {
        Schedule s = create.execute("alice", body("rate", "1 minute", "task", sleepTask()));
        flows.clock.advance(Duration.ofMinutes(1));
        List<Schedule> seenByBoth = schedules.due(flows.clock.instant(), 10);
        tick.execute();
        // the second sweep read the schedule before the first moved it on
        TickSchedules late = new TickSchedules(new ScheduleStore() {
            @Override
            public void add(Schedule schedule, int maxPerOwner) {
                schedules.add(schedule, maxPerOwner);
            }

            @Override
            public java.util.Optional<Schedule> find(String owner, String id) {
                return schedules.find(owner, id);
            }

            @Override
            public List<Schedule> list(String owner) {
                return schedules.list(owner);
            }

            @Override
            public boolean remove(String owner, String id) {
                return schedules.remove(owner, id);
            }

            @Override
            public List<Schedule> due(Instant now, int limit) {
                return seenByBoth;
            }

            @Override
            public boolean update(Schedule next) {
                return schedules.update(next);
            }
        }, flows.create, flows.clock, 10);
        late.execute();
        assertEquals(1, tasksOf(s).size());
        assertEquals(2, schedules.get(s.id()).revision());
    }

    @Test
    void aTickRefusedByTheOwnersLimitIsRecordedAndSkipped() {
        flows.create("alice", Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0)));
        flows.create("alice", Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0)));
        Schedule s = create.execute("alice", body("rate", "1 minute", "task", sleepTask()));
        flows.clock.advance(Duration.ofMinutes(1));
        tick.execute();
        Schedule after = schedules.get(s.id());
        assertEquals("concurrency-limit-exceeded", after.lastError().code());
        assertNull(after.lastTaskId());
        assertEquals(s.nextTick(), after.lastTick());
        assertEquals(s.nextTick().plus(Duration.ofMinutes(1)), after.nextTick());
        flows.runQueued();
        flows.clock.advance(Duration.ofMinutes(1));
        tick.execute();
        assertNull(schedules.get(s.id()).lastError(), "the next tick goes through");
        assertEquals(1, tasksOf(s).size());
    }

    @Test
    void ticksMissedWhileNoSweepRanAreSkippedButTheLatest() {
        Schedule s = create.execute("alice", body("cron", "*/5 * * * *", "timezone", "Europe/Madrid", "task", sleepTask()));
        flows.clock.advance(Duration.ofMinutes(32));
        tick.execute();
        assertEquals(1, tasksOf(s).size());
        assertEquals(Instant.parse("2026-11-25T08:30:00Z"), schedules.get(s.id()).lastTick());
        assertEquals(Instant.parse("2026-11-25T08:35:00Z"), schedules.get(s.id()).nextTick());
    }

    @Test
    void createValidatesEveryFieldAndTheTaskAsACreateWould() {
        assertFields(List.of("cron"), body("task", sleepTask()));
        assertFields(List.of("rate"), body("cron", "* * * * *", "rate", "1 minute", "task", sleepTask()));
        assertFields(List.of("cron"), body("cron", "61 * * * *", "task", sleepTask()));
        assertFields(List.of("rate"), body("rate", "10 seconds", "task", sleepTask()));
        assertFields(List.of("timezone"), body("cron", "* * * * *", "timezone", "Mars/Olympus", "task", sleepTask()));
        assertFields(List.of("task"), body("cron", "* * * * *"));
        assertFields(List.of("task.type"), body("cron", "* * * * *", "task", Map.of("type", "nope")));
        assertFields(List.of("task.parameters.seconds"), body("cron", "* * * * *", "task",
                Map.of("type", "demo.sleep", "parameters", Map.of("seconds", -1))));
        assertFields(List.of("task.dependsOn"), body("cron", "* * * * *", "task",
                Map.of("type", "demo.fail", "dependsOn", List.of())));
        assertFields(List.of("extra"), body("cron", "* * * * *", "task", sleepTask(), "extra", 1));
        assertEquals(List.of(), schedules.list("alice"));
    }

    @Test
    void atMostTwentyFivePerOwner() {
        for (int i = 0; i < CreateSchedule.MAX_PER_OWNER; i++) {
            create.execute("alice", body("rate", "1 day", "task", sleepTask()));
        }
        ProblemException e = assertThrows(ProblemException.class,
                () -> create.execute("alice", body("rate", "1 day", "task", sleepTask())));
        assertEquals("schedule-limit-exceeded", e.problem().code());
        create.execute("bob", body("rate", "1 day", "task", sleepTask()));
    }

    @Test
    void listGetAndDeleteAreTheOwnersOnly() {
        Schedule s = create.execute("alice", body("rate", "1 hour", "task", sleepTask()));
        ListSchedules list = new ListSchedules(schedules);
        assertEquals(List.of(s), list.execute("alice"));
        assertEquals(s, list.get("alice", s.id()));
        assertEquals("schedule-not-found", assertThrows(ProblemException.class, () -> list.get("bob", s.id())).problem().code());
        DeleteSchedule delete = new DeleteSchedule(schedules);
        assertThrows(ProblemException.class, () -> delete.execute("bob", s.id()));
        delete.execute("alice", s.id());
        assertEquals(List.of(), list.execute("alice"));
        flows.clock.advance(Duration.ofHours(1));
        tick.execute();
        assertEquals(0, flows.store.size(), "a deleted schedule ticks no more");
    }

    @Test
    void theTickedTasksRun() {
        Schedule s = create.execute("alice", body("rate", "1 minute", "task", sleepTask()));
        flows.clock.advance(Duration.ofMinutes(1));
        tick.execute();
        flows.runQueued();
        assertEquals(TaskStatus.SUCCEEDED, tasksOf(s).get(0).status());
    }

    private void assertFields(List<String> fields, Map<String, Object> body) {
        ProblemException e = assertThrows(ProblemException.class, () -> create.execute("alice", body));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) e.problem().extensions().get("errors");
        assertEquals(fields, errors.stream().map(m -> m.get("field")).toList(), body.toString());
    }
}
