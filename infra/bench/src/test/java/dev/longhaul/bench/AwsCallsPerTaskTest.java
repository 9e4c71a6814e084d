package dev.longhaul.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.api.ApiHandler;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.testing.AwsCallCounter;
import dev.longhaul.aws.testing.StreamEvents;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.SampleEvents;
import dev.longhaul.emulators.SqsEvents;
import dev.longhaul.maintenance.CoordinatorHandler;
import dev.longhaul.maintenance.SweeperHandler;
import dev.longhaul.worker.WorkerHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * AWS calls per task over the whole flow, counted on the wire by a call listener on the clients,
 * with the handlers wired as Lambda wires them (only the listener added): create at most 2, the worker at most 3 plus at most
 * one progress write per second, a status poll 1, a result request 1 (presigning sends nothing).
 * The task model's paths (a create with {@code queue}, {@code dependsOn}, {@code parent}, {@code access};
 * PATCH of access; POST /v1/schedules; the sweeper's tick; the coordinator's work when a queue's head,
 * a dependency or a parent's last child finishes) are counted exactly, the coordinator and sweeper
 * wired as their Lambda constructors wire them, the coordinator fed the finish's record from the
 * table's real stream. A change that adds a call fails the build here.
 */
class AwsCallsPerTaskTest {
    private static final AwsCallCounter CALLS = new AwsCallCounter();
    private TestCloud cloud;
    private ApiHandler api;
    private WorkerHandler worker;
    private CoordinatorHandler coordinator;
    private Map<String, String> sweeperEnvironment;

    @BeforeEach
    void setUp() {
        cloud = TestCloud.get();
        cloud.reset();
        Map<String, String> apiEnvironment = cloud.environment("ApiFunction");
        Map<String, String> workerEnvironment = cloud.environment("WorkerFunction");
        api = new ApiHandler(apiEnvironment, AwsClients.fromEnvironment(apiEnvironment, List.of(CALLS)));
        worker = new WorkerHandler(workerEnvironment, AwsClients.fromEnvironment(workerEnvironment, List.of(CALLS)));
        Map<String, String> coordinatorEnvironment = cloud.environment("ResultCleanupFunction");
        coordinator = new CoordinatorHandler(coordinatorEnvironment,
                AwsClients.fromEnvironment(coordinatorEnvironment, List.of(CALLS)));
        sweeperEnvironment = cloud.environment("SweeperFunction");
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

    // The task model's paths (issue 12). Each count is exact: a change that adds a call fails here.

    @Test
    void createInANamedQueue() {
        CALLS.reset();
        create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"queue\":\"imports\"}");
        // the transaction takes the lane; the answer's queuePosition reads the queue's partition
        assertExactly(3, "create, queue free");
        CALLS.reset();
        create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"queue\":\"imports\"}");
        // the lane is tried free first (a cancelled transaction), then the task is stored held behind it;
        // no message: only the lane's holder is sent
        assertExactly(3, "create, queue busy");
        assertEquals(1, cloud.queueDepth(), "only the holder was sent");
    }

    @Test
    void createWithDependsOn() {
        String first = create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0}}");
        CALLS.reset();
        create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"dependsOn\":[\"" + first + "\"]}");
        assertExactly(2, "create with dependsOn");
    }

    @Test
    void createWithParent() {
        String parent = create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0}}");
        CALLS.reset();
        create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"parent\":\"" + parent + "\"}");
        // the parent is read first (unfinished, one of the caller's), then the transaction updates its counts
        assertExactly(3, "create with parent");
    }

    @Test
    void createWithAccessAndPatchIt() {
        CALLS.reset();
        String id = create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"access\":[\"user-bob\"]}");
        assertExactly(2, "create with access");
        CALLS.reset();
        Map<String, Object> patched = invoke(api, request("PATCH", "/v1/tasks/" + id, "{\"access\":[\"user-carol\"]}"));
        assertEquals(200, status(patched), Json.write(patched));
        assertExactly(2, "PATCH access");
    }

    @Test
    void createAScheduleAndTickIt() {
        // the sweeper's run at the first tick, its clock 16 minutes on
        SweeperHandler sweeper = new SweeperHandler(sweeperEnvironment,
                AwsClients.fromEnvironment(sweeperEnvironment, List.of(CALLS)),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16)));
        CALLS.reset();
        Invocations.invoke(sweeper, Json.write(SampleEvents.load("schedule-sweep.json")));
        // an idle sweep: one Query per shard of the sweep index for tasks, and one per shard for schedules
        assertExactly(8, "sweeper, nothing due");

        CALLS.reset();
        Map<String, Object> created = invoke(api, request("POST", "/v1/schedules",
                "{\"rate\":\"15 minutes\",\"task\":{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0}}}"));
        assertEquals(201, status(created), Json.write(created));
        assertExactly(1, "POST /v1/schedules");

        CALLS.reset();
        Map<String, Object> report = Invocations.invoke(sweeper, Json.write(SampleEvents.load("schedule-sweep.json")));
        assertEquals(1L, ((Number) report.get("ticksCreated")).longValue(), Json.write(report));
        // the idle sweep's 8, and for the tick: GetItem (the schedule), GetItem (the tick's idempotency key),
        // TransactWriteItems (task + key + owner's count), SendMessage, PutItem (the schedule moves on)
        assertExactly(8 + 5, "sweeper with one schedule due");
    }

    @Test
    void coordinatorPassesANamedQueueOn() {
        String head = create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"queue\":\"imports\"}");
        String next = create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"queue\":\"imports\"}");
        runDelivered(1);
        CALLS.reset();
        coordinate(head);
        // GetItem (the lane), Query (the queue's partition, oldest first), GetItem (the oldest held task),
        // TransactWriteItems (lane + task), SendMessage
        assertExactly(5, "coordinator, a queue's head finished");
        assertEquals(List.of(next), messageTaskIds(), "the next one was sent");
    }

    @Test
    void coordinatorAdmitsADependent() {
        String first = create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0}}");
        String dependent = create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"dependsOn\":[\"" + first + "\"]}");
        runDelivered(1);
        CALLS.reset();
        coordinate(first);
        // GetItem (the dependent), TransactWriteItems (admit it + the owner's count), SendMessage
        assertExactly(3, "coordinator, a dependency finished");
        assertEquals(List.of(dependent), messageTaskIds(), "the dependent was sent");
    }

    @Test
    void coordinatorResumesAParent() {
        String batch = create("{\"type\":\"batch\",\"parameters\":{\"tasks\":[{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0}}]}}");
        runDelivered(1); // the batch spawns its child and waits
        String child = runDelivered(1).get(0); // the child runs
        CALLS.reset();
        coordinate(child);
        // GetItem (the parent), UpdateItem (its open children), SendMessage (resume it)
        assertExactly(3, "coordinator, a parent's last child finished");
        assertEquals(List.of(batch), messageTaskIds(), "the parent was sent again");
    }

    private String create(String body) {
        return Invocations.createdId(invoke(api, SampleEvents.withBody("api-create-task.json", body)));
    }

    /** The worker on the messages waiting (as many as expected), which are then deleted; their tasks' ids. */
    private List<String> runDelivered(int expected) {
        List<Message> delivered = cloud.receive(10);
        assertEquals(expected, delivered.size(), "messages waiting");
        Map<String, Object> outcome = Invocations.invoke(worker, Json.write(SqsEvents.of(delivered, "arn:aws:sqs:test")));
        assertEquals(List.of(), outcome.get("batchItemFailures"));
        delivered.forEach(cloud::delete);
        return delivered.stream().map(AwsCallsPerTaskTest::taskId).toList();
    }

    private static String taskId(Message message) {
        return (String) Json.parseObject(message.body()).get("id");
    }

    /** The coordinator on the last stream record of this task (its finish), as Lambda would deliver it. */
    private void coordinate(String taskId) {
        var records = cloud.streamRecords(Set.of(taskId));
        Map<String, Object> event = StreamEvents.of(records.subList(records.size() - 1, records.size()));
        Map<String, Object> outcome = Invocations.invoke(coordinator, Json.write(event));
        assertEquals(List.of(), outcome.get("batchItemFailures"));
    }

    /** The ids of the tasks whose messages wait in the work queue (received, then deleted). */
    private List<String> messageTaskIds() {
        List<Message> waiting = cloud.receive(10);
        waiting.forEach(cloud::delete);
        return waiting.stream().map(AwsCallsPerTaskTest::taskId).toList();
    }

    /** A request of the sample events' shape, from their owner, to another route. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> request(String method, String path, String body) {
        Map<String, Object> event = SampleEvents.withBody("api-create-task.json", body);
        event.put("rawPath", path);
        event.put("routeKey", method + " " + path);
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        context.put("routeKey", method + " " + path);
        Map<String, Object> http = (Map<String, Object>) context.get("http");
        http.put("method", method);
        http.put("path", path);
        return event;
    }

    private static int status(Map<String, Object> response) {
        return ((Number) response.get("statusCode")).intValue();
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
