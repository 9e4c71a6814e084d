package dev.longhaul.api;

import static dev.longhaul.api.ProblemResponses.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.port.ResultUpload;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.task.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/tasks/{id}/cancel and DELETE /v1/tasks/{id} against the emulators. */
class CancelDeleteApiTest {
    private static TestCloud cloud;
    private static ApiInvoker api;
    private static DynamoDbTaskStore store;
    private static S3ResultStore results;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        api = new ApiInvoker(new ApiHandler(cloud.environment("ApiFunction")));
        store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
        results = new S3ResultStore(cloud.clients().s3(), cloud.clients().presigner(), cloud.bucket());
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    private static String createdTaskId() {
        ApiInvoker.Response created = api.invoke("api-create-task.json");
        assertEquals(202, created.status(), created.body());
        return created.json().string("id");
    }

    private static Task running(String id) {
        Task queued = store.find(id).orElseThrow();
        Task running = queued.start("token", Instant.now(), Instant.now().plusSeconds(60));
        assertTrue(store.replace(running));
        return running;
    }

    private static Task succeededWithResult(String id) throws Exception {
        Task running = running(id);
        long size;
        try (ResultUpload upload = results.open(id, "application/json")) {
            upload.stream().write("{\"sleptSeconds\":0}".getBytes(StandardCharsets.UTF_8));
            size = upload.commit();
        }
        Task done = running.succeed(new TaskResult("application/json", size), Instant.now(), Duration.ofHours(1));
        assertTrue(store.replace(done));
        assertEquals(1, cloud.objectCount());
        return done;
    }

    @Test
    void cancellingAQueuedTaskAnswers200Cancelled() {
        String id = createdTaskId();
        assertEquals(1, store.activeCount(TaskEvents.ALICE));

        ApiInvoker.Response response = api.invokeForTask("api-cancel-task.json", id);

        assertEquals(200, response.status(), response.body());
        JsonObject body = response.json();
        assertEquals("cancelled", body.string("status"));
        assertNull(body.object("links").map().get("cancel"));
        assertEquals("\"" + body.longValue("revision") + "\"", response.header("ETag"));
        assertEquals("/v1/tasks/" + id, response.header("Location"));
        assertEquals(TaskStatus.CANCELLED, store.find(id).orElseThrow().status());
        assertEquals(0, store.activeCount(TaskEvents.ALICE));
        assertEquals("cancelled", api.invokeForTask("api-get-task.json", id).json().string("status"));
    }

    @Test
    void cancellingTwiceIsHarmless() {
        String id = createdTaskId();
        ApiInvoker.Response first = api.invokeForTask("api-cancel-task.json", id);
        ApiInvoker.Response second = api.invokeForTask("api-cancel-task.json", id);
        assertEquals(200, second.status(), second.body());
        assertEquals(first.json().longValue("revision"), second.json().longValue("revision"));
        assertEquals(0, store.activeCount(TaskEvents.ALICE));
    }

    @Test
    void cancellingARunningTaskAnswers202AndFlagsIt() {
        String id = createdTaskId();
        Task running = running(id);

        ApiInvoker.Response response = api.invokeForTask("api-cancel-task.json", id);

        assertEquals(202, response.status(), response.body());
        assertEquals("running", response.json().string("status"));
        assertTrue(response.json().bool("cancelRequested"));
        Task stored = store.find(id).orElseThrow();
        assertTrue(stored.cancelRequested());
        assertEquals(running.runToken(), stored.runToken());
        assertEquals(1, store.activeCount(TaskEvents.ALICE), "the slot is held until the job stops");

        ApiInvoker.Response again = api.invokeForTask("api-cancel-task.json", id);
        assertEquals(202, again.status());
        assertEquals(response.json().longValue("revision"), again.json().longValue("revision"));
    }

    @Test
    void cancellingAFinishedTaskIs409() throws Exception {
        String succeeded = succeededWithResult(createdTaskId()).id();
        Task failed = running(createdTaskId()).fail(new TaskError("boom", "it failed"), Instant.now(), Duration.ofHours(1));
        assertTrue(store.replace(failed));

        assertProblem(api.invokeForTask("api-cancel-task.json", succeeded), 409, "task-finished");
        assertProblem(api.invokeForTask("api-cancel-task.json", failed.id()), 409, "task-finished");
        assertEquals(TaskStatus.SUCCEEDED, store.find(succeeded).orElseThrow().status());
        assertEquals(1, cloud.objectCount());
    }

    @Test
    void cancellingAnotherOwnersOrAnUnknownTaskIs404() {
        String id = createdTaskId();
        assertProblem(api.invoke(TaskEvents.as("user-mallory", TaskEvents.cancel(id))), 404, "task-not-found");
        assertProblem(api.invoke("api-cancel-task.json"), 404, "task-not-found");
        assertEquals(TaskStatus.QUEUED, store.find(id).orElseThrow().status());
    }

    @Test
    @SuppressWarnings("unchecked")
    void cancelIsAPost() {
        String id = createdTaskId();
        java.util.Map<String, Object> event = TaskEvents.cancel(id);
        ((java.util.Map<String, Object>) ((java.util.Map<String, Object>) event.get("requestContext")).get("http"))
                .put("method", "GET");
        assertProblem(api.invoke(event), 404, "route-not-found");
    }

    @Test
    void deleteAnswers204AndRemovesTheRecordAndTheResult() throws Exception {
        String id = succeededWithResult(createdTaskId()).id();

        ApiInvoker.Response response = api.invokeForTask("api-delete-task.json", id);

        assertEquals(204, response.status(), response.body());
        assertEquals("", response.body());
        assertTrue(store.find(id).isEmpty());
        assertEquals(0, cloud.objectCount());
        assertEquals(0, cloud.taskCount());
        assertProblem(api.invokeForTask("api-get-task.json", id), 404, "task-not-found");
        assertProblem(api.invokeForTask("api-get-result.json", id), 404, "task-not-found");
        assertProblem(api.invokeForTask("api-delete-task.json", id), 404, "task-not-found");
    }

    @Test
    void deletingAQueuedTaskGivesTheSlotBack() {
        String id = createdTaskId();
        createdTaskId();
        assertEquals(2, store.activeCount(TaskEvents.ALICE));
        assertEquals(204, api.invokeForTask("api-delete-task.json", id).status());
        assertEquals(1, store.activeCount(TaskEvents.ALICE));
        assertEquals(1, cloud.taskCount());
    }

    @Test
    void deletingARunningTaskGivesTheSlotBackOnce() {
        String id = createdTaskId();
        running(id);
        assertEquals(204, api.invokeForTask("api-delete-task.json", id).status());
        assertEquals(0, store.activeCount(TaskEvents.ALICE));
        assertTrue(store.find(id).isEmpty());
    }

    @Test
    void deletingAFinishedTaskDoesNotGiveASlotBackTwice() throws Exception {
        String id = succeededWithResult(createdTaskId()).id();
        assertEquals(0, store.activeCount(TaskEvents.ALICE));
        assertEquals(204, api.invokeForTask("api-delete-task.json", id).status());
        assertEquals(0, store.activeCount(TaskEvents.ALICE));
    }

    @Test
    void deletingAnotherOwnersTaskIs404AndKeepsIt() throws Exception {
        String id = succeededWithResult(createdTaskId()).id();
        assertProblem(api.invokeForTask("api-delete-task-other-owner.json", id), 404, "task-not-found");
        assertFalse(store.find(id).isEmpty());
        assertEquals(1, cloud.objectCount());
        assertProblem(api.invoke("api-delete-task.json"), 404, "task-not-found");
    }
}
