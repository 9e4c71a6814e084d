package dev.longhaul.local;

import static dev.longhaul.local.TaskContractOverHttpTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.longhaul.core.json.Json;
import dev.longhaul.emulators.Emulators;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The task model end to end, over real HTTP through the local cloud's gateway, with the worker
 * driven by the SQS event source, the coordinator by the table's stream and the sweeper (which
 * also ticks schedules and queues scheduled tasks) fired every second ({@code scheduleInterval}):
 * a named queue under concurrent creates, a batch of 100 children, a dependency that fails, a
 * start a few seconds ahead, a recurring schedule ticking, and a download shared with a colleague.
 */
class TaskModelOverHttpTest {
    private static final Duration LIMIT = Duration.ofSeconds(180);
    private static LocalCloud cloud;
    private static URI base;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.start(TestClouds.longhaulOptions(Map.of()).emulators(Emulators.shared())
                .stackName("taskmodel").scheduleInterval(Duration.ofSeconds(1)).build());
        base = cloud.baseUrl();
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void aNamedQueueRunsOneAtATimeInCreationOrderUnderConcurrentCreates() throws Exception {
        String token = Http.token("fifo-" + System.nanoTime());
        String body = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1,\"steps\":1},\"queue\":\"imports\"}";
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            creates.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Http.postJson(base.resolve("/v1/tasks"), token, body);
            }));
        }
        go.countDown();
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> create : creates) {
            HttpResponse<String> response = create.get();
            assertEquals(202, response.statusCode(), response.body());
            ids.add((String) Json.parseObject(response.body()).get("id"));
        }
        ids.sort(null); // ids sort in creation order
        Map<String, Object> first = awaitTask(ids.get(0), token, status("succeeded"));
        Map<String, Object> second = awaitTask(ids.get(1), token, status("succeeded"));
        assertFalse(Instant.parse((String) second.get("startedAt")).isBefore(Instant.parse((String) first.get("finishedAt"))),
                "the second starts after the first finished: " + first + " " + second);
        HttpResponse<String> listed = Http.get(base.resolve("/v1/tasks?queue=imports"), token);
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(2, tasks(listed).size());
    }

    @Test
    void aBatchOf100ChildrenFansOutAndIn() {
        String token = Http.token("batch-" + System.nanoTime());
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1}}");
        }
        HttpResponse<String> created = Http.postJson(base.resolve("/v1/tasks"), token,
                "{\"type\":\"batch\",\"parameters\":{\"tasks\":[" + entries + "]}}");
        assertEquals(202, created.statusCode(), created.body());
        String id = (String) Json.parseObject(created.body()).get("id");
        Map<String, Object> done = awaitTask(id, token, status("succeeded"));
        Map<?, ?> children = (Map<?, ?>) done.get("children");
        assertEquals(100L, ((Number) children.get("total")).longValue(), done.toString());
        assertEquals(100L, ((Number) children.get("succeeded")).longValue(), done.toString());
        HttpResponse<String> listed = Http.get(base.resolve("/v1/tasks?parent=" + id + "&pageSize=100"), token);
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(100, tasks(listed).size());
        String summary = new String(download(id, token), StandardCharsets.UTF_8);
        assertEquals(100L, ((Number) Json.parseObject(summary).get("succeeded")).longValue(), summary);
    }

    @Test
    void aTaskWhoseDependencyFailsFailsNamingIt() {
        String token = Http.token("deps-" + System.nanoTime());
        HttpResponse<String> failing = Http.postJson(base.resolve("/v1/tasks"), token,
                "{\"type\":\"demo.fail\",\"parameters\":{\"message\":\"no\"}}");
        String dependency = (String) Json.parseObject(failing.body()).get("id");
        HttpResponse<String> dependent = Http.postJson(base.resolve("/v1/tasks"), token,
                "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"dependsOn\":[\"" + dependency + "\"]}");
        assertEquals(202, dependent.statusCode(), dependent.body());
        Map<String, Object> blocked = Json.parseObject(dependent.body());
        assertTrue(List.of("blocked", "failed").contains(blocked.get("status")), dependent.body());
        Map<String, Object> failed = awaitTask((String) blocked.get("id"), token, status("failed"));
        Map<?, ?> error = (Map<?, ?>) failed.get("error");
        assertEquals("dependency-failed", error.get("code"));
        assertTrue(((String) error.get("message")).contains(dependency), error.toString());
        assertEquals(null, failed.get("startedAt"), "it never ran");

        HttpResponse<String> unknown = Http.postJson(base.resolve("/v1/tasks"), token,
                "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"dependsOn\":[\"" + "0".repeat(36) + "\"]}");
        assertProblem(unknown, 400, "invalid-request");
        assertTrue(unknown.body().contains("dependsOn"), unknown.body());
    }

    @Test
    void aTaskWithNotBeforeAFewSecondsAheadStartsNoEarlier() {
        String token = Http.token("later-" + System.nanoTime());
        Instant notBefore = Instant.now().plusSeconds(4).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        HttpResponse<String> created = Http.postJson(base.resolve("/v1/tasks"), token,
                "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1},\"notBefore\":\"" + notBefore + "\"}");
        assertEquals(202, created.statusCode(), created.body());
        Map<String, Object> task = Json.parseObject(created.body());
        assertEquals("scheduled", task.get("status"), created.body());
        Map<String, Object> done = awaitTask((String) task.get("id"), token, status("succeeded"));
        Instant startedAt = Instant.parse((String) done.get("startedAt"));
        assertFalse(startedAt.isBefore(notBefore), "started at " + startedAt + ", not before " + notBefore);
        assertTrue(startedAt.isBefore(notBefore.plusSeconds(30)), "queued on time: " + startedAt);
    }

    @Test
    void aScheduleTicksOncePerTickAndListsItsTasks() {
        String token = Http.token("cron-" + System.nanoTime());
        HttpResponse<String> created = Http.postJson(base.resolve("/v1/schedules"), token,
                "{\"cron\":\"* * * * *\",\"task\":{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1},"
                        + "\"name\":\"every minute\"}}");
        assertEquals(201, created.statusCode(), created.body());
        URI schedule = base.resolve(created.headers().firstValue("location").orElseThrow());
        String id = (String) Json.parseObject(created.body()).get("id");
        Map<String, Object> ticked = TaskContractOverHttpTest.poll(schedule, token, s -> s.get("lastTaskId") != null, Duration.ofSeconds(90));
        assertEquals(null, ticked.get("lastError"), ticked.toString());
        HttpResponse<String> listed = Http.get(base.resolve("/v1/tasks?schedule=" + id), token);
        assertEquals(200, listed.statusCode(), listed.body());
        List<Map<String, Object>> tasks = tasks(listed);
        assertEquals(1, tasks.size(), "one task for the one tick, though the sweeper ran every second: " + listed.body());
        assertEquals(ticked.get("lastTaskId"), tasks.get(0).get("id"));
        assertEquals("every minute", tasks.get(0).get("name"));
        assertEquals(id, tasks.get(0).get("schedule"));
        HttpResponse<String> deleted = Http.send(Http.request(schedule, token).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
    }

    @Test
    void aColleagueCanReadAndDownloadASharedTaskButNotChangeIt() {
        String owner = Http.token("owner-" + System.nanoTime());
        String colleagueSubject = "colleague-" + System.nanoTime();
        String colleague = Http.token(colleagueSubject);
        String stranger = Http.token("stranger-" + System.nanoTime());
        HttpResponse<String> created = Http.postJson(base.resolve("/v1/tasks"), owner,
                "{\"type\":\"report.stock\",\"parameters\":{\"rows\":5},\"access\":[\"" + colleagueSubject + "\"]}");
        assertEquals(202, created.statusCode(), created.body());
        String id = (String) Json.parseObject(created.body()).get("id");
        awaitTask(id, owner, status("succeeded"));

        byte[] ownersCopy = download(id, owner);
        byte[] colleaguesCopy = download(id, colleague);
        assertEquals(new String(ownersCopy, StandardCharsets.UTF_8), new String(colleaguesCopy, StandardCharsets.UTF_8));
        HttpResponse<String> shared = Http.get(base.resolve("/v1/tasks?sharedWithMe=true"), colleague);
        assertEquals(List.of(id), tasks(shared).stream().map(t -> t.get("id")).toList());
        assertEquals(List.of(), tasks(Http.get(base.resolve("/v1/tasks"), colleague)), "a plain list shows only one's own");

        assertProblem(Http.send(Http.request(base.resolve("/v1/tasks/" + id), colleague).DELETE().build()), 403, "forbidden");
        assertProblem(Http.postJson(base.resolve("/v1/tasks/" + id + "/cancel"), colleague, "{}"), 403, "forbidden");
        assertProblem(patch(id, colleague, "{\"access\":[]}"), 403, "forbidden");
        assertProblem(Http.get(base.resolve("/v1/tasks/" + id), stranger), 404, "task-not-found");
        assertProblem(Http.get(base.resolve("/v1/tasks/" + id + "/result"), stranger), 404, "task-not-found");

        HttpResponse<String> revoked = patch(id, owner, "{\"access\":[]}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertProblem(Http.get(base.resolve("/v1/tasks/" + id), colleague), 404, "task-not-found");
    }

    // --- helpers

    private static HttpResponse<String> patch(String id, String token, String json) {
        return Http.send(Http.request(base.resolve("/v1/tasks/" + id), token).header("content-type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** The result's bytes, through the 302 to the presigned URL. */
    private static byte[] download(String id, String token) {
        HttpResponse<String> redirect = Http.get(base.resolve("/v1/tasks/" + id + "/result"), token);
        assertEquals(302, redirect.statusCode(), redirect.body());
        HttpResponse<byte[]> file = Http.download(URI.create(redirect.headers().firstValue("location").orElseThrow()));
        assertEquals(200, file.statusCode());
        return file.body();
    }

    private static Predicate<Map<String, Object>> status(String status) {
        return task -> {
            if (!status.equals(task.get("status")) && List.of("succeeded", "failed", "cancelled").contains(task.get("status"))) {
                fail("task ended " + task.get("status") + " instead of " + status + ": " + task);
            }
            return status.equals(task.get("status"));
        };
    }

    private static Map<String, Object> awaitTask(String id, String token, Predicate<Map<String, Object>> done) {
        return TaskContractOverHttpTest.poll(base.resolve("/v1/tasks/" + id), token, done, LIMIT);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tasks(HttpResponse<String> page) {
        return (List<Map<String, Object>>) Json.parseObject(page.body()).get("tasks");
    }
}
