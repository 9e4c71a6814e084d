package dev.longhaul.api;

import static dev.longhaul.api.ProblemResponses.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbSecretKeys;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.kms.KmsEnvelope;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.aws.testing.AwsCallCounter;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/tasks on DynamoDB Local: owner-scoped, newest first, filtered, paged by signed tokens, no scan. */
class TaskListApiTest {
    private static TestCloud cloud;
    private static ApiInvoker api;
    private static DynamoDbTaskStore store;
    private static AwsCallCounter calls;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
        calls = new AwsCallCounter();
        AwsClients counted = AwsClients.fromEnvironment(cloud.environment(), List.of(calls));
        ApiConfig config = ApiConfig.from(Environment.of(cloud.environment("ApiFunction")));
        api = new ApiInvoker(new ApiHandler(config,
                new DynamoDbTaskStore(counted.dynamoDb(), config.tableName()),
                new SqsWorkQueue(counted.sqs(), config.queueUrl()),
                new S3ResultStore(counted.s3(), counted.presigner(), config.bucket()),
                new DynamoDbSecretKeys(counted.dynamoDb(), config.tableName(),
                        new KmsEnvelope(counted::kms, config.secretsKeyArn(), config.tableName())),
                JobRegistry.builtIn(), Clock.systemUTC()));
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    /** Creates a task through the API; a few milliseconds apart, so creation times differ. */
    private static JsonObject created(String type) {
        String body = type.equals("demo.fail") ? "{\"type\":\"demo.fail\"}"
                : "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0}}";
        ApiInvoker.Response response = api.invoke(TaskEvents.create(body));
        assertEquals(202, response.status(), response.body());
        pause(3);
        return response.json();
    }

    private static List<String> createdIds(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(created("demo.sleep").string("id"));
        }
        return ids;
    }

    private static ApiInvoker.Response list(String... query) {
        ApiInvoker.Response response = api.invoke(TaskEvents.list(query));
        assertEquals(200, response.status(), response.body());
        assertEquals("application/json", response.header("Content-Type"));
        return response;
    }

    private static List<String> ids(ApiInvoker.Response response) {
        return response.json().list("tasks").stream().map(t -> (String) ((Map<?, ?>) t).get("id")).toList();
    }

    private static String nextPageToken(ApiInvoker.Response response) {
        return (String) response.json().map().get("nextPageToken");
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        Collections.reverse(copy);
        return copy;
    }

    @Test
    void listsTheCallersTasksNewestFirst() {
        List<String> ids = createdIds(3);
        ApiInvoker.Response response = list();
        assertEquals(reversed(ids), ids(response));
        assertNull(nextPageToken(response));
        Map<?, ?> first = (Map<?, ?>) response.json().list("tasks").get(0);
        assertEquals("queued", first.get("status"));
        assertEquals("/v1/tasks/" + ids.get(2), ((Map<?, ?>) first.get("links")).get("self"));
        assertFalse(first.containsKey("owner"));
    }

    @Test
    void anotherOwnerSeesNothing() {
        createdIds(2);
        ApiInvoker.Response response = api.invoke("api-list-tasks-other-owner.json");
        assertEquals(200, response.status(), response.body());
        assertEquals(List.of(), ids(response));
        assertNull(nextPageToken(response));
    }

    @Test
    void theSampleEventListsQueuedSleepTasksTwoAPage() {
        List<String> sleeps = createdIds(3);
        created("demo.fail");
        ApiInvoker.Response response = api.invoke("api-list-tasks.json");
        assertEquals(200, response.status(), response.body());
        assertEquals(List.of(sleeps.get(2), sleeps.get(1)), ids(response));
        assertNotNull(nextPageToken(response));
    }

    @Test
    void filtersByStatusAndType() {
        List<String> sleeps = createdIds(3);
        String fail = created("demo.fail").string("id");
        assertEquals(200, api.invoke(TaskEvents.cancel(sleeps.get(1))).status());

        assertEquals(List.of(sleeps.get(1)), ids(list("status", "cancelled")));
        assertEquals(List.of(sleeps.get(2), sleeps.get(0)), ids(list("status", "queued", "type", "demo.sleep")));
        assertEquals(List.of(fail), ids(list("type", "demo.fail")));
        assertEquals(List.of(), ids(list("status", "succeeded")));
        assertEquals(List.of(), ids(list("type", "report.stock")));
    }

    @Test
    void filtersByCreationTime() {
        List<JsonObject> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(created("demo.sleep"));
        }
        String second = tasks.get(1).string("createdAt");
        String fourth = tasks.get(3).string("createdAt");
        List<String> ids = tasks.stream().map(t -> t.string("id")).toList();

        assertEquals(reversed(ids.subList(2, 5)), ids(list("createdAfter", second)));
        assertEquals(reversed(ids.subList(0, 3)), ids(list("createdBefore", fourth)));
        assertEquals(List.of(ids.get(2)), ids(list("createdAfter", second, "createdBefore", fourth)));
        assertEquals(List.of(), ids(list("createdAfter", fourth, "createdBefore", second)));
    }

    @Test
    void pagesThroughFiveTasksTwoAtATime() {
        List<String> ids = createdIds(5);
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String token = null;
        do {
            ApiInvoker.Response page = token == null ? list("pageSize", "2") : list("pageSize", "2", "pageToken", token);
            seen.addAll(ids(page));
            sizes.add(ids(page).size());
            token = nextPageToken(page);
        } while (token != null && sizes.size() < 10);
        assertEquals(reversed(ids), seen);
        assertEquals(List.of(2, 2, 1), sizes);
    }

    @Test
    void aSparseFilterStillReachesOlderTasks() {
        // one cancelled task behind many queued ones: the filter matches nothing for a long stretch
        Task old = stored(Instant.now().minusSeconds(60));
        assertEquals(200, api.invoke(TaskEvents.cancel(old.id())).status());
        for (int i = 0; i < 30; i++) {
            stored(Instant.now().minusSeconds(30 - i));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ApiInvoker.Response page = token == null ? list("status", "cancelled", "pageSize", "1")
                    : list("status", "cancelled", "pageSize", "1", "pageToken", token);
            seen.addAll(ids(page));
            token = nextPageToken(page);
        } while (token != null && ++pages < 40);
        assertEquals(List.of(old.id()), seen);
    }

    @Test
    void aForgedOrForeignPageTokenIs400() {
        createdIds(3);
        String token = nextPageToken(list("pageSize", "1"));
        assertNotNull(token);
        String altered = (token.charAt(0) == 'M' ? "N" : "M") + token.substring(1);
        api.invoke(TaskEvents.as("user-mallory", TaskEvents.create("{\"type\":\"demo.fail\"}")));
        api.invoke(TaskEvents.as("user-mallory", TaskEvents.create("{\"type\":\"demo.fail\"}")));
        String mallorys = nextPageToken(api.invoke(TaskEvents.as("user-mallory", TaskEvents.list("pageSize", "1"))));
        assertNotNull(mallorys);

        for (String forged : List.of("not-a-token", "abc.def", altered, mallorys)) {
            JsonObject problem = assertProblem(api.invoke(TaskEvents.list("pageSize", "1", "pageToken", forged)),
                    400, "invalid-request");
            assertEquals("pageToken", ((Map<?, ?>) problem.list("errors").get(0)).get("field"));
        }
        // a token of one query does not continue another
        assertProblem(api.invoke(TaskEvents.list("pageSize", "1", "status", "queued", "pageToken", token)),
                400, "invalid-request");
        // and the real one still works
        assertEquals(1, ids(list("pageSize", "1", "pageToken", token)).size());
    }

    @Test
    void invalidQueriesAre400NamingTheParameter() {
        Map<String, String> cases = Map.of(
                "pageSize=0", "pageSize", "pageSize=101", "pageSize", "status=done", "status",
                "createdAfter=yesterday", "createdAfter", "limit=5", "limit");
        cases.forEach((query, field) -> {
            String[] pair = query.split("=");
            JsonObject problem = assertProblem(api.invoke(TaskEvents.list(pair[0], pair[1])), 400, "invalid-request");
            assertEquals(field, ((Map<?, ?>) problem.list("errors").get(0)).get("field"), query);
        });
        assertEquals(List.of(), ids(list("pageSize", "100")));
        assertEquals(List.of(), ids(list("pageSize", "1")));
    }

    @Test
    void aListQueriesTheOwnerIndexAndNeverScans() {
        createdIds(5);
        calls.reset();
        String token = nextPageToken(list("pageSize", "2", "status", "queued"));
        list("pageSize", "2", "status", "queued", "pageToken", token);
        Map<String, Integer> made = calls.calls();
        assertTrue(made.getOrDefault("DynamoDb.Query", 0) >= 2, made.toString());
        assertTrue(made.keySet().stream().noneMatch(name -> name.endsWith(".Scan")), made.toString());
    }

    @Test
    void expiredTasksAreNotListed() {
        String live = createdIds(1).get(0);
        Task expired = stored(Instant.now());
        Task running = expired.start("token", Instant.now(), Instant.now().plusSeconds(60));
        assertTrue(store.replace(running));
        assertTrue(store.replace(running.succeed(new TaskResult("application/json", 2), Instant.now(),
                Duration.ofSeconds(-1))));
        assertEquals(List.of(live), ids(list()));
    }

    private static Task stored(Instant createdAt) {
        Task task = Task.create(new TaskIds(Clock.fixed(createdAt, java.time.ZoneOffset.UTC),
                new java.security.SecureRandom()).newId(), TaskEvents.ALICE, "demo.sleep", null,
                Map.of("seconds", 0L, "steps", 1L), createdAt);
        store.create(task);
        return task;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
