package dev.longhaul.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.testing.AwsCallCounter;
import dev.longhaul.aws.testing.TestCloud;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker's SnapStart priming runs a whole task (claim, result upload, finish) on offline
 * clients before the snapshot: its real clients send nothing, so no credentials are resolved into
 * the snapshot, and nothing is stored, queued or uploaded anywhere.
 */
class WorkerPrimingTest {

    @Test
    void primingSendsNothingAndStoresNothing() throws Exception {
        TestCloud cloud = TestCloud.get();
        cloud.reset();
        Map<String, String> environment = cloud.environment("WorkerFunction");
        AwsCallCounter calls = new AwsCallCounter();
        WorkerHandler handler = new WorkerHandler(environment, AwsClients.fromEnvironment(environment, List.of(calls)));

        WorkerPriming priming = new WorkerPriming(handler, environment);
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertEquals(Map.of(), calls.attempts(), "the real clients sent nothing before the snapshot");
        assertEquals(0, cloud.itemCount(), "nothing stored");
        assertEquals(0, cloud.queueDepth(), "nothing queued");
        assertEquals(0, cloud.objectCount(), "nothing uploaded");
    }
}
