package dev.longhaul.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.api.ApiHandler;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.testing.AwsCallCounter;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.SampleEvents;
import dev.longhaul.emulators.SqsEvents;
import dev.longhaul.worker.WorkerHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * AWS calls per task over the whole flow, counted on the wire by a call listener on the clients,
 * with the handlers wired as Lambda wires them (only the listener added): create at most 2, the worker at most 3 plus at most
 * one progress write per second, a status poll 1, a result request 1 (presigning sends nothing).
 * A change that adds a call fails the build here.
 */
class AwsCallsPerTaskTest {
    private static final AwsCallCounter CALLS = new AwsCallCounter();
    private TestCloud cloud;
    private ApiHandler api;
    private WorkerHandler worker;

    @BeforeEach
    void setUp() {
        cloud = TestCloud.get();
        cloud.reset();
        Map<String, String> apiEnvironment = cloud.environment("ApiFunction");
        Map<String, String> workerEnvironment = cloud.environment("WorkerFunction");
        api = new ApiHandler(apiEnvironment, AwsClients.fromEnvironment(apiEnvironment, List.of(CALLS)));
        worker = new WorkerHandler(workerEnvironment, AwsClients.fromEnvironment(workerEnvironment, List.of(CALLS)));
    }

    @Test
    void createRunPollAndFetchTheResult() {
        CALLS.reset();
        String id = Invocations.createdId(invoke(api, SampleEvents.load("api-create-task.json")));
        assertAtMost(2, "create");

        List<Message> delivered = cloud.receive(10);
        assertEquals(1, delivered.size());
        CALLS.reset();
        long started = System.nanoTime();
        Map<String, Object> outcome = Invocations.invoke(worker, Json.write(SqsEvents.of(delivered, "arn:aws:sqs:test")));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(List.of(), outcome.get("batchItemFailures"));
        assertAtMost(3 + (int) Math.floor(seconds), "worker");
        delivered.forEach(cloud::delete);

        CALLS.reset();
        Map<String, Object> status = invoke(api, SampleEvents.forTask("api-get-task.json", id));
        assertEquals(303, ((Number) status.get("statusCode")).intValue(), Json.write(status));
        assertExactly(1, "status poll");

        CALLS.reset();
        Map<String, Object> result = invoke(api, SampleEvents.forTask("api-get-result.json", id));
        assertEquals(302, ((Number) result.get("statusCode")).intValue(), Json.write(result));
        assertExactly(1, "result request");
    }

    @Test
    void progressIsWrittenAtMostOncePerSecond() {
        // 30 progress reports over 2 s: the throttle must turn them into at most 2 writes
        Invocations.createdId(invoke(api, SampleEvents.withBody("api-create-task.json",
                "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":2,\"steps\":30}}")));
        List<Message> delivered = cloud.receive(10);
        CALLS.reset();
        long started = System.nanoTime();
        Map<String, Object> outcome = Invocations.invoke(worker, Json.write(SqsEvents.of(delivered, "arn:aws:sqs:test")));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(List.of(), outcome.get("batchItemFailures"));
        assertAtMost(3 + (int) Math.floor(seconds), "worker with progress");
    }

    private static Map<String, Object> invoke(ApiHandler handler, Map<String, Object> event) {
        return Invocations.invoke(handler, Json.write(event));
    }

    private static void assertAtMost(int limit, String step) {
        int total = CALLS.total();
        System.out.println("AWS calls, " + step + ": " + total + " " + CALLS.calls());
        assertTrue(total <= limit, step + " made " + total + " AWS calls, at most " + limit + " allowed: "
                + CALLS.calls());
    }

    private static void assertExactly(int expected, String step) {
        System.out.println("AWS calls, " + step + ": " + CALLS.total() + " "
                + CALLS.calls());
        assertEquals(expected, CALLS.total(), step + " calls: " + CALLS.calls());
    }
}
