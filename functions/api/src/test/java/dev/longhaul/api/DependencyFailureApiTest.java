package dev.longhaul.api;

import static dev.longhaul.api.ProblemResponses.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.FaultInjector;
import dev.longhaul.aws.testing.TestCloud;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store that throttles past every retry: the API answers 503 {@code service-unavailable} with
 * {@code Retry-After} (the caller may retry), never a 500, and a rejected create stores and
 * queues nothing. The faults come from the real fault injector on the real clients, against
 * DynamoDB Local.
 */
class DependencyFailureApiTest {
    private final TestCloud cloud = TestCloud.get();

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    private ApiInvoker throttledApi() {
        Map<String, String> environment = new HashMap<>(cloud.environment("ApiFunction"));
        environment.put(FaultInjector.VARIABLE, "dynamodb.throttle=1");
        return new ApiInvoker(new ApiHandler(environment));
    }

    @Test
    void aThrottledCreateIsA503AndStoresNothing() {
        ApiInvoker.Response response = throttledApi().invoke("api-create-task.json");
        assertProblem(response, 503, "service-unavailable");
        assertTrue(Integer.parseInt(response.header("Retry-After")) >= 1, response.header("Retry-After"));
        assertEquals(0, cloud.itemCount(), "nothing stored for a rejected create");
        assertEquals(0, cloud.queueDepth(), "nothing queued for a rejected create");
    }

    @Test
    void aThrottledReadIsA503() {
        ApiInvoker.Response response = throttledApi().invokeForTask("api-get-task.json",
                "06h31yfgp4kpzrwbbhxqd0mswd0t5svfd4fg");
        assertProblem(response, 503, "service-unavailable");
        assertTrue(!response.body().contains("Injected"), "no service detail reaches the client: " + response.body());
    }
}
