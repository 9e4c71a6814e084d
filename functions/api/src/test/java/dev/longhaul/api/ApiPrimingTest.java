package dev.longhaul.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.testing.AwsCallCounter;
import dev.longhaul.aws.testing.TestCloud;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming runs the create, status, result, list and delete paths before the snapshot
 * with no side effect anywhere: the function's real clients send nothing (so no credentials are
 * resolved into the snapshot), nothing is stored or queued, and the handler still works after.
 */
class ApiPrimingTest {

    @Test
    void primingSendsNothingStoresNothingAndLeavesTheHandlerWorking() throws Exception {
        TestCloud cloud = TestCloud.get();
        cloud.reset();
        Map<String, String> environment = cloud.environment("ApiFunction");
        AwsCallCounter calls = new AwsCallCounter();
        ApiHandler handler = new ApiHandler(environment,
                AwsClients.fromEnvironment(environment, AwsClients.Timeouts.api(), List.of(calls)));

        ApiPriming priming = new ApiPriming(handler, environment);
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertEquals(Map.of(), calls.attempts(), "the real clients sent nothing before the snapshot");
        assertEquals(0, cloud.itemCount(), "nothing stored");
        assertEquals(0, cloud.queueDepth(), "nothing queued");

        ApiInvoker.Response created = new ApiInvoker(handler).invoke("api-create-task.json");
        assertEquals(202, created.status(), created.body());
    }
}
