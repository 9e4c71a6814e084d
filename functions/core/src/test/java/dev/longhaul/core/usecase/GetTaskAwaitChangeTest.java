package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.port.WaitSlots;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.FakeSleeper;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.InMemoryWaitSlots;
import dev.longhaul.core.testing.MutableClock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code Prefer: wait}: answer as soon as the task moves past the known revision, or when the wait
 * ends, reading the task back off (100 ms doubling to 1 s) so a whole wait costs a bounded number
 * of strongly consistent reads; and at most a few concurrent waits per owner, across instances.
 * Time is a fake that passes only when slept.
 */
class GetTaskAwaitChangeTest {
    private static final String ID = "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedc";
    private static final int MAX_WAITS = 2;

    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final InMemoryTaskStore store = new InMemoryTaskStore(clock);
    private final FakeSleeper sleeper = new FakeSleeper(clock);
    private final InMemoryWaitSlots slots = new InMemoryWaitSlots(MAX_WAITS);
    private final GetTask getTask = new GetTask(store, clock, slots, sleeper);
    private final CancelTask cancelTask = new CancelTask(new GetTask(store, clock), store, clock, Duration.ofHours(1));

    private Task queued() {
        return queued(ID, "alice");
    }

    private Task queued(String id, String owner) {
        Task task = Task.create(id, owner, "demo.sleep", null, Map.of("seconds", 1L), clock.instant());
        store.create(task);
        return task;
    }

    /** What the API does: one read, then the wait. */
    private GetTask.Await poll(String owner, String id, Duration wait) throws InterruptedException {
        Task current = getTask.execute(owner, id);
        return getTask.awaitChange(owner, id, current, wait);
    }

    private static List<Duration> millis(long... values) {
        return java.util.Arrays.stream(values).mapToObj(Duration::ofMillis).toList();
    }

    @Test
    void aFullTenSecondWaitBacksOffAndReadsAtMostFourteenTimes() throws Exception {
        Task task = queued();
        int before = store.finds();

        GetTask.Await answer = poll("alice", ID, Duration.ofSeconds(10));

        assertEquals(task, answer.task());
        assertTrue(answer.honoured());
        assertEquals(millis(100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 500), sleeper.sleeps());
        assertEquals(Duration.ofSeconds(10), sleeper.slept());
        assertEquals(14, store.finds() - before, "the first read and one after each pause");
        assertEquals(0, slots.held("alice"), "the slot is given back");
    }

    @Test
    void shorterWaitsCostFewerReads() throws Exception {
        queued();
        int before = store.finds();
        poll("alice", ID, Duration.ofSeconds(1));
        assertEquals(millis(100, 200, 400, 300), sleeper.sleeps());
        assertEquals(5, store.finds() - before);
    }

    @Test
    void answersAtTheFirstReadAfterTheTaskChanges() throws Exception {
        Task task = queued();
        // a worker starts the task during the third pause
        Task running = task.start("token", clock.instant(), clock.instant().plusSeconds(60));
        sleeper.onSleep(n -> {
            if (n == 3) {
                store.put(running);
            }
        });
        int before = store.finds();

        GetTask.Await answer = poll("alice", ID, Duration.ofSeconds(10));

        assertEquals(running, answer.task());
        assertTrue(answer.honoured());
        assertEquals(millis(100, 200, 400), sleeper.sleeps());
        assertEquals(4, store.finds() - before);
        assertEquals(0, slots.held("alice"));
    }

    @Test
    void aTaskFinishingDuringTheWaitIsAnsweredAtOnce() throws Exception {
        Task task = queued();
        sleeper.onSleep(n -> cancelTask.execute("alice", ID));
        GetTask.Await answer = getTask.awaitChange("alice", ID, task, Duration.ofSeconds(10));
        assertEquals(TaskStatus.CANCELLED, answer.task().status());
        assertEquals(millis(100), sleeper.sleeps());
    }

    @Test
    void aFinishedTaskOrAZeroWaitAnswersAtOnceWithoutASlot() throws Exception {
        queued();
        Task cancelled = cancelTask.execute("alice", ID);
        slots.failNext(1);
        int before = store.finds();
        GetTask.Await finished = getTask.awaitChange("alice", ID, cancelled, Duration.ofSeconds(5));
        assertEquals(cancelled, finished.task());
        assertTrue(finished.honoured());

        Task other = queued("01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedd", "alice");
        GetTask.Await zero = getTask.awaitChange("alice", other.id(), other, Duration.ZERO);
        assertEquals(other, zero.task());
        assertTrue(zero.honoured());

        assertEquals(List.of(), sleeper.sleeps());
        assertEquals(before, store.finds(), "no read");
    }

    @Test
    void overTheCapTheAnswerComesAtOnceAndSaysTheWaitWasNotHonoured() throws Exception {
        Task task = queued();
        // two waits of alice's are held elsewhere (other Lambda instances)
        for (int i = 0; i < MAX_WAITS; i++) {
            assertTrue(slots.tryAcquire("alice", clock.instant()).isPresent());
        }
        int before = store.finds();

        GetTask.Await answer = getTask.awaitChange("alice", ID, task, Duration.ofSeconds(10));

        assertEquals(task, answer.task());
        assertFalse(answer.honoured());
        assertEquals(List.of(), sleeper.sleeps());
        assertEquals(before, store.finds());
        assertEquals(MAX_WAITS, slots.held("alice"), "nothing taken");
    }

    @Test
    void theCapIsPerOwner() throws Exception {
        for (int i = 0; i < MAX_WAITS; i++) {
            slots.tryAcquire("alice", clock.instant());
        }
        Task bobs = queued("01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedd", "bob");
        GetTask.Await answer = getTask.awaitChange("bob", bobs.id(), bobs, Duration.ofSeconds(1));
        assertTrue(answer.honoured());
        assertEquals(Duration.ofSeconds(1), sleeper.slept());
    }

    @Test
    void aSlotLeakedByACrashedInstanceIsFreeAfterItsLease() throws Exception {
        Task task = queued();
        for (int i = 0; i < MAX_WAITS; i++) {
            slots.tryAcquire("alice", clock.instant());
        }
        clock.advance(WaitSlots.LEASE.minusMillis(1));
        assertFalse(getTask.awaitChange("alice", ID, task, Duration.ofSeconds(1)).honoured());
        clock.advance(Duration.ofMillis(1));
        assertTrue(getTask.awaitChange("alice", ID, task, Duration.ofSeconds(1)).honoured());
        assertTrue(WaitSlots.LEASE.compareTo(Duration.ofSeconds(15)) <= 0, "a leak lasts at most ~15 s");
        assertTrue(WaitSlots.LEASE.compareTo(GetTask.MAX_WAIT) > 0, "longer than any wait");
    }

    @Test
    void whenTheSlotsCannotBeReachedTheAnswerComesAtOnce() throws Exception {
        Task task = queued();
        slots.failNext(1);
        GetTask.Await answer = getTask.awaitChange("alice", ID, task, Duration.ofSeconds(10));
        assertEquals(task, answer.task());
        assertFalse(answer.honoured());
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void theSlotIsGivenBackWhenTheTaskDisappearsDuringTheWait() {
        Task task = queued();
        sleeper.onSleep(n -> store.delete(store.get(ID)));
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found",
                () -> getTask.awaitChange("alice", ID, task, Duration.ofSeconds(5)));
        assertEquals(0, slots.held("alice"));
    }

    @Test
    void waitsLongerThanTheLongestAreCut() throws Exception {
        Task task = queued();
        getTask.awaitChange("alice", ID, task, Duration.ofMinutes(5));
        assertEquals(GetTask.MAX_WAIT, sleeper.slept());
    }

    @Test
    void withoutSlotsEveryWaitIsHonoured() throws Exception {
        Task task = queued();
        GetTask unlimited = new GetTask(store, clock, WaitSlots.unlimited(), sleeper);
        List<Optional<WaitSlots.Slot>> held = Collections.nCopies(100,
                WaitSlots.unlimited().tryAcquire("alice", clock.instant()));
        assertTrue(held.stream().allMatch(Optional::isPresent));
        assertTrue(unlimited.awaitChange("alice", ID, task, Duration.ofSeconds(1)).honoured());
    }

    @Test
    void anotherOwnerIsNotFoundWithoutWaiting() {
        queued();
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> poll("mallory", ID, Duration.ofSeconds(5)));
        assertEquals(List.of(), sleeper.sleeps());
    }
}
