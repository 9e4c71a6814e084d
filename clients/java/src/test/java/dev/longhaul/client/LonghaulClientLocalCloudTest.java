package dev.longhaul.client;

import static dev.longhaul.client.testing.LocalLonghaul.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.longhaul.client.testing.LocalLonghaul;
import dev.longhaul.core.testing.WebhookReceiver;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the local cloud over real HTTP: the gateway with its JWT authorizer, the API
 * and worker functions from their jars, the SQS and stream event sources, S3Proxy's presigned
 * downloads and the webhook delivery function.
 */
class LonghaulClientLocalCloudTest {
    private static final Duration PATIENCE = LocalLonghaul.PATIENCE;
    private static final Map<String, Object> SLOW = Map.of("seconds", 100, "steps", 100);

    private static LonghaulClient client(String owner) {
        return client(owner, RetryPolicy.defaults());
    }

    private static LonghaulClient client(String owner, RetryPolicy retryPolicy) {
        String token = LocalLonghaul.token(owner);
        return LonghaulClient.builder().baseUrl(LocalLonghaul.baseUrl()).token(() -> token).retryPolicy(retryPolicy).build();
    }

    @Test
    void aReportIsCreatedWaitedForAndDownloadedToAFileAndAsAStream(@TempDir Path directory) throws Exception {
        LonghaulClient longhaul = client(LocalLonghaul.owner("reporter"));
        Task created = longhaul.create(CreateTaskRequest.builder("report.stock")
                .parameter("rows", 2000).parameter("format", "csv").parameter("seed", 7)
                .description("client test").build());
        assertEquals(TaskStatus.QUEUED, created.status());
        assertEquals("client test", created.description());
        assertEquals(2000, created.parameters().get("rows").asInt());

        List<Task> seen = new CopyOnWriteArrayList<>();
        Task done = longhaul.waitFor(created.id(), PATIENCE, seen::add);

        assertEquals(TaskStatus.SUCCEEDED, done.status(), done.toString());
        assertEquals(100, done.progress());
        assertTrue(done.result().contentType().startsWith("text/csv"), done.result().toString());
        assertFalse(seen.isEmpty());
        assertEquals(done, seen.get(seen.size() - 1), "the terminal state is reported too");
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).revision() > seen.get(i - 1).revision(), "each report is a new state: " + seen);
        }
        assertEquals(done.revision(), longhaul.get(created.id()).revision(), "get answers the 303's body");

        Path file = longhaul.download(done.id(), directory.resolve("stock.csv"));
        List<String> lines = Files.readAllLines(file);
        assertEquals("product,store,stock,reserve,inTransit", lines.get(0));
        assertEquals(2001, lines.size());
        assertEquals(done.result().size(), Files.size(file));
        try (InputStream in = longhaul.openResult(done.id())) {
            assertArrayEquals(Files.readAllBytes(file), in.readAllBytes());
        }
    }

    @Test
    void theSameIdempotencyKeyGetsTheSameTaskAndAnotherBodyIsRefused() {
        LonghaulClient longhaul = client(LocalLonghaul.owner("idempotent"));
        CreateTaskRequest request = CreateTaskRequest.builder("demo.sleep").parameter("seconds", 0)
                .idempotencyKey("nightly-1").build();
        Task first = longhaul.create(request);
        Task again = longhaul.create(request);
        assertEquals(first.id(), again.id());
        assertNotEquals(first.id(), longhaul.create("demo.sleep", Map.of("seconds", 0)).id(), "a generated key per create");

        LonghaulException reused = assertThrows(LonghaulException.class, () -> longhaul.create(
                CreateTaskRequest.builder("demo.sleep").parameter("seconds", 1).idempotencyKey("nightly-1").build()));
        assertEquals(422, reused.status());
        assertEquals("idempotency-key-reused", reused.code());
    }

    @Test
    void theListingIteratesEveryPageWithFilters() {
        // six tasks for an owner allowed three active ones: a create waits (429, retried) for a slot
        LonghaulClient longhaul = client(LocalLonghaul.owner("lister"), RetryPolicy.builder().maxAttempts(100)
                .maxElapsed(PATIENCE).build());
        Instant before = Instant.now().minusSeconds(60);
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(longhaul.create("demo.fail", Map.of("message", "m" + i)).id());
        }
        longhaul.create("demo.sleep", Map.of("seconds", 0));
        for (String id : created) {
            assertEquals(TaskStatus.FAILED, longhaul.waitFor(id, PATIENCE).status());
        }

        List<Task> listed = new ArrayList<>();
        longhaul.list(TaskQuery.builder().type("demo.fail").pageSize(2).build()).forEach(listed::add);
        assertEquals(created, new HashSet<>(listed.stream().map(Task::id).toList()), "three pages of 2, 2 and 1");
        for (int i = 1; i < listed.size(); i++) {
            assertTrue(!listed.get(i).createdAt().isAfter(listed.get(i - 1).createdAt()), "newest first");
        }
        TaskPage firstPage = longhaul.listPage(TaskQuery.builder().type("demo.fail").pageSize(2).build(), null);
        assertEquals(2, firstPage.tasks().size());
        assertNotNull(firstPage.nextPageToken());

        List<Task> failed = new ArrayList<>();
        longhaul.list(TaskQuery.builder().status(TaskStatus.FAILED).createdAfter(before).build()).forEach(failed::add);
        assertEquals(5, failed.size());
        assertTrue(failed.stream().allMatch(t -> "demo-failure".equals(t.error().code())));
        assertFalse(longhaul.list(TaskQuery.builder().createdAfter(Instant.now().plusSeconds(3600)).build())
                .iterator().hasNext());
        assertEquals(6, count(longhaul.list(TaskQuery.all())));
    }

    @Test
    void aRunningTaskIsCancelledThenDeleted() {
        LonghaulClient longhaul = client(LocalLonghaul.owner("canceller"));
        Task task = longhaul.create("demo.sleep", SLOW);
        await("the task to run", () -> longhaul.get(task.id()).status().equals(TaskStatus.RUNNING));

        Task cancelling = longhaul.cancel(task.id());
        assertTrue(cancelling.cancelRequested() || cancelling.status().equals(TaskStatus.CANCELLED), cancelling.toString());
        Task cancelled = longhaul.waitFor(task.id(), PATIENCE);
        assertEquals(TaskStatus.CANCELLED, cancelled.status());
        assertEquals(TaskStatus.CANCELLED, longhaul.cancel(task.id()).status(), "cancelling twice is harmless");
        LonghaulException noResult = assertThrows(LonghaulException.class, () -> longhaul.openResult(task.id()));
        assertEquals("task-cancelled", noResult.code());

        longhaul.delete(task.id());
        LonghaulException gone = assertThrows(LonghaulException.class, () -> longhaul.get(task.id()));
        assertEquals(404, gone.status());
        assertEquals("task-not-found", gone.code());
        assertEquals(404, assertThrows(LonghaulException.class, () -> longhaul.delete(task.id())).status());
    }

    @Test
    void errorsArriveAsLonghaulExceptionsWithTheProblemsCode() {
        String owner = LocalLonghaul.owner("erring");
        LonghaulClient longhaul = client(owner);

        LonghaulException invalid = assertThrows(LonghaulException.class,
                () -> longhaul.create("report.stock", Map.of("rows", 0, "format", "pdf")));
        assertEquals(400, invalid.status());
        assertEquals("invalid-request", invalid.code());
        assertNotNull(invalid.detail());
        Set<String> fields = new HashSet<>();
        invalid.problem().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertEquals(Set.of("parameters.rows", "parameters.format"), fields);
        assertEquals(List.of(), list(longhaul), "nothing stored for a refused request");

        assertEquals("invalid-request", assertThrows(LonghaulException.class,
                () -> longhaul.create("no.such.type", Map.of())).code());
        LonghaulException missing = assertThrows(LonghaulException.class, () -> longhaul.get("0000000000000000000000000000000000zz"));
        assertEquals(404, missing.status());
        assertEquals("task-not-found", missing.code());

        Task failing = longhaul.create("demo.fail", Map.of("message", "warehouse said no"));
        Task failed = longhaul.waitFor(failing.id(), PATIENCE);
        assertEquals(new TaskError("demo-failure", "warehouse said no"), failed.error());
        LonghaulException noResult = assertThrows(LonghaulException.class, () -> longhaul.openResult(failing.id()));
        assertEquals(409, noResult.status());
        assertEquals("task-failed", noResult.code());
        assertEquals("demo-failure", noResult.problem().path("error").path("code").asText());

        assertEquals(404, assertThrows(LonghaulException.class, () -> client(LocalLonghaul.owner("intruder")).get(failing.id()))
                .status(), "another owner's task does not exist");

        LonghaulClient forged = LonghaulClient.builder().baseUrl(LocalLonghaul.baseUrl()).token(() -> "not-a-jwt").build();
        LonghaulException unauthorized = assertThrows(LonghaulException.class, () -> forged.get(failing.id()));
        assertEquals(401, unauthorized.status());
        assertEquals("http-401", unauthorized.code(), "the gateway's own answer has no problem body");
    }

    @Test
    void overTheActiveTaskLimitACreateIs429WithRetryAfterAndIsRetriedUntilASlotIsFree() throws Exception {
        String owner = LocalLonghaul.owner("limited");
        LonghaulClient longhaul = client(owner);
        List<Task> active = new ArrayList<>();
        for (int i = 0; i < LocalLonghaul.MAX_ACTIVE_TASKS_PER_OWNER; i++) {
            active.add(longhaul.create("demo.sleep", SLOW));
        }

        LonghaulException over = assertThrows(LonghaulException.class,
                () -> client(owner, RetryPolicy.none()).create("demo.sleep", SLOW));
        assertEquals(429, over.status());
        assertEquals("concurrency-limit-exceeded", over.code());
        assertTrue(over.retryAfter().orElseThrow().toSeconds() >= 1, over.retryAfter().toString());
        assertEquals(LocalLonghaul.MAX_ACTIVE_TASKS_PER_OWNER, over.problem().path("limit").asInt());

        List<RetryPolicy.Retry> retries = new CopyOnWriteArrayList<>();
        LonghaulClient patient = client(owner, RetryPolicy.builder().maxAttempts(100).maxElapsed(PATIENCE.multipliedBy(2))
                .onRetry(retries::add).build());
        CompletableFuture<Task> waiting = CompletableFuture.supplyAsync(() -> patient.create("demo.sleep", Map.of("seconds", 0)));
        await("a 429 to be retried", () -> !retries.isEmpty() || waiting.isDone());
        assertFalse(waiting.isDone(), "the create waits while the limit holds");
        assertEquals(429, retries.get(0).status());
        longhaul.cancel(active.get(0).id());

        Task created = waiting.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
        assertEquals("demo.sleep", created.type());
        for (Task task : active) {
            longhaul.delete(task.id());
        }
    }

    @Test
    void webhooksAreSubscribedListedDeletedAndTheirDeliveriesVerify() {
        LonghaulClient longhaul = client(LocalLonghaul.owner("hooked"));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Webhook webhook = longhaul.createWebhook(receiver.url("/hook"), List.of("task.succeeded"));
            assertTrue(webhook.secret().startsWith("whsec_"), webhook.toString());
            assertEquals(List.of("task.succeeded"), webhook.events());
            List<Webhook> listed = longhaul.webhooks();
            assertEquals(List.of(webhook.id()), listed.stream().map(Webhook::id).toList());
            assertNull(listed.get(0).secret(), "the secret is shown once");

            Task task = longhaul.create("demo.sleep", Map.of("seconds", 0));
            await("the delivery", () -> !receiver.received("/hook").isEmpty());
            WebhookReceiver.Received delivery = receiver.received("/hook").get(0);
            assertTrue(delivery.body().contains(task.id()), delivery.body());
            WebhookVerifier verifier = WebhookVerifier.create(webhook.secret());
            assertDoesNotThrow(() -> verifier.verify(delivery.headers(), delivery.body()));
            assertThrows(WebhookVerificationException.class,
                    () -> verifier.verify(delivery.headers(), delivery.body().replace("succeeded", "failed")));

            LonghaulException refused = assertThrows(LonghaulException.class,
                    () -> longhaul.createWebhook("ftp://example.com/x", List.of()));
            assertEquals(400, refused.status());

            longhaul.deleteWebhook(webhook.id());
            assertEquals(List.of(), longhaul.webhooks());
            LonghaulException gone = assertThrows(LonghaulException.class, () -> longhaul.deleteWebhook(webhook.id()));
            assertEquals("webhook-not-found", gone.code());
        }
    }

    /**
     * The types' parameters are JSON Schema 2020-12 as an off-the-shelf validator reads it: each
     * schema is valid against the dialect's meta-schema, and what the validator makes of an object
     * is what the API makes of it.
     */
    @Test
    void taskTypesAreListedWithSchemasAStandardValidatorAgreesWith() throws Exception {
        LonghaulClient longhaul = client(LocalLonghaul.owner("typer"));
        List<TaskType> types = longhaul.taskTypes();
        assertEquals(List.of("demo.sleep", "demo.fail", "report.stock", "batch"), types.stream().map(TaskType::type).toList());
        TaskType report = types.get(2);
        assertEquals("text/csv; charset=utf-8", report.contentType());
        assertTrue(report.resumable());
        assertTrue(report.description().contains("JSON with format=json"), report.description());

        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Schema metaSchema = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (TaskType type : types) {
            assertEquals(List.of(), metaSchema.validate(type.parameters()), type.type());
            assertEquals("https://json-schema.org/draft/2020-12/schema", type.parameters().path("$schema").asText());
        }
        Schema reportParameters = registry.getSchema(report.parameters());
        for (String parameters : List.of("{\"rows\": 5}", "{\"rows\": 5.0, \"format\": \"json\", \"seed\": -9223372036854775808}",
                "{\"rows\": 0}", "{\"rows\": 5, \"format\": \"xml\"}", "{\"rows\": 5, \"colour\": \"red\"}", "{}",
                "{\"rows\": 5, \"seed\": 9223372036854775808}", "{\"rows\": 5, \"format\": null}")) {
            boolean valid = reportParameters.validate(parameters, InputFormat.JSON).isEmpty();
            CreateTaskRequest.Builder request = CreateTaskRequest.builder("report.stock");
            JsonCodec.MAPPER.readTree(parameters).fields().forEachRemaining(m -> request.parameter(m.getKey(), m.getValue()));
            LonghaulClient owner = client(LocalLonghaul.owner("typer"));
            if (valid) {
                assertEquals(TaskStatus.QUEUED, owner.create(request.build()).status(), parameters);
            } else {
                LonghaulException refused = assertThrows(LonghaulException.class, () -> owner.create(request.build()), parameters);
                assertEquals(400, refused.status(), parameters);
            }
        }
    }

    private static int count(Iterable<Task> tasks) {
        int n = 0;
        for (Task ignored : tasks) {
            n++;
        }
        return n;
    }

    private static List<Task> list(LonghaulClient longhaul) {
        List<Task> tasks = new ArrayList<>();
        longhaul.list(TaskQuery.all()).forEach(tasks::add);
        return tasks;
    }
}
