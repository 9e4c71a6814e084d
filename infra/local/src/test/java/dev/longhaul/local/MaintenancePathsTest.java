package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import dev.longhaul.emulators.Emulators;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The paths the suites over HTTP cannot reach on demand, in the local cloud with IAM enforced: a
 * sweep that finds a task whose message was lost, a retried attempt (which first asks S3 whether an
 * earlier attempt stored the result), and a dead-lettered message. The worker, the sweeper and the
 * dead-letter consumer run from their jars with their events unwired ({@link DrivenCloud}); the
 * test puts the task in the state the path starts from and hands the function the event Lambda
 * would. Their calls count in IamConformanceTest like every other suite's.
 */
class MaintenancePathsTest {

    private static DrivenCloud driven;

    @BeforeAll
    static void start() {
        driven = new DrivenCloud(TestClouds.longhaulOptions(Map.of()).emulators(Emulators.shared()).stackName("maintenance"));
    }

    @AfterAll
    static void stop() {
        driven.cloud().close();
    }

    @Test
    void theSweeperRequeuesATaskWhoseMessageWasLost() {
        String id = driven.create("sweep-" + System.nanoTime());
        driven.lose(id);

        Invocation sweep = driven.sweep();
        assertFalse(sweep.failed(), sweep.errorType() + ": " + sweep.errorMessage());
        assertTrue(((Number) Json.parseObject(sweep.outputText()).get("requeued")).intValue() >= 1, sweep.outputText());
        driven.workMessage(id); // queued again, in a fresh message
    }

    @Test
    void theSweeperFailsATaskWhoseAttemptsAreSpentAndGivesTheOwnersSlotBack() {
        String owner = "spent-" + System.nanoTime();
        String id = driven.create(owner);
        driven.abandoned(id, 3); // the template's MaxAttempts

        Invocation sweep = driven.sweep();
        assertFalse(sweep.failed(), sweep.errorType() + ": " + sweep.errorMessage());
        Map<String, Object> task = driven.task(owner, id);
        assertEquals("failed", task.get("status"), task.toString());
        assertEquals("worker-lost", ((Map<?, ?>) task.get("error")).get("code"), task.toString());
    }

    @Test
    void aRetriedAttemptRunsTheJobWhenNoEarlierAttemptStoredTheResult() {
        String owner = "retry-" + System.nanoTime();
        String id = driven.create(owner);
        driven.crashedAttempt(id);

        Invocation run = driven.deliver(id, "WorkerFunction", "WorkQueue");
        assertFalse(run.failed(), run.errorType() + ": " + run.errorMessage());
        Map<String, Object> task = driven.task(owner, id);
        assertEquals("succeeded", task.get("status"), "the second attempt ran the job: " + task);
        assertEquals(2L, ((Number) task.get("attempts")).longValue(), task.toString());
    }

    @Test
    void aDeadLetteredTaskFailsAsUndeliverable() {
        String owner = "dead-" + System.nanoTime();
        String id = driven.create(owner);

        Invocation dead = driven.deliver(id, "DeadLetterFunction", "DeadLetterQueue");
        assertFalse(dead.failed(), dead.errorType() + ": " + dead.errorMessage());
        Map<String, Object> task = driven.task(owner, id);
        assertEquals("failed", task.get("status"), task.toString());
        assertEquals("undeliverable", ((Map<?, ?>) task.get("error")).get("code"), task.toString());
    }
}
