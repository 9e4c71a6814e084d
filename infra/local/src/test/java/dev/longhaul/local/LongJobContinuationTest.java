package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.longhaul.core.job.builtin.StockReportJob;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.RecordingJobContext;
import dev.longhaul.emulators.Emulators;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job much longer than one invocation, in the local cloud. The worker is given no time of its
 * own (YIELD_MARGIN_SECONDS=900, its whole timeout, through --env-vars, with a progress point
 * checked every 1% of rows): each invocation checkpoints as soon as it has stored one more 8 MiB
 * part, so a report of 4 million rows (about 130 MB) continues in more than ten invocations, every
 * time, however fast the machine. That is twice the work queue's maxReceiveCount: continuations
 * travel in fresh messages and spend no receive, or the task would be dead-lettered. The
 * downloaded CSV must be byte for byte the one a single uninterrupted run produces.
 */
class LongJobContinuationTest {
    private static final long ROWS = 4_000_000;
    private static final Duration LIMIT = Duration.ofSeconds(180);
    private static LocalCloud cloud;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.start(TestClouds.longhaulOptions(Map.of())
                .envVars(TestClouds.write("short-worker", "{\"WorkerFunction\": {\"YIELD_MARGIN_SECONDS\": \"900\","
                        + " \"PROGRESS_INTERVAL_MILLIS\": \"0\"}}"))
                .emulators(Emulators.shared())
                .stackName("continuation")
                .build());
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void aReportOfMillionsOfRowsContinuesAcrossInvocationsAndStaysByteIdentical() throws Exception {
        String token = Http.token("long-" + System.nanoTime());
        String parameters = "{\"rows\":" + ROWS + ",\"format\":\"csv\",\"seed\":7}";
        HttpResponse<String> created = Http.postJson(cloud.baseUrl().resolve("/v1/tasks"), token,
                "{\"type\":\"report.stock\",\"parameters\":" + parameters + "}");
        assertEquals(202, created.statusCode(), created.body());
        URI task = cloud.baseUrl().resolve(created.headers().firstValue("location").orElseThrow());

        long deadline = System.nanoTime() + LIMIT.toNanos();
        HttpResponse<String> status;
        while ((status = Http.get(task, token)).statusCode() != 303) {
            assertEquals(200, status.statusCode(), status.body());
            assertTrue(!status.body().contains("\"status\":\"failed\""), status.body());
            if (System.nanoTime() > deadline) {
                fail("not done within " + LIMIT + ": " + status.body());
            }
            LifecycleSuite.sleep(250);
        }
        Map<String, Object> done = Json.parseObject(status.body());
        List<?> executions = (List<?>) done.get("executions");
        long continued = executions.stream().filter(e -> "continued".equals(((Map<?, ?>) e).get("outcome"))).count();
        assertTrue(continued >= 10, "the job must have continued in ten invocations or more: " + executions);
        assertEquals("succeeded", ((Map<?, ?>) executions.get(executions.size() - 1)).get("outcome"));
        assertTrue(executions.stream().allMatch(e -> ((Map<?, ?>) e).get("error") == null),
                "every continuation stored something new: " + executions);
        assertEquals(1L, ((Number) done.get("attempts")).longValue() - continued,
                "continuations are no attempts: " + done.get("attempts"));
        System.out.println("continuation: " + ROWS + " rows in " + executions.size() + " invocations ("
                + continued + " continued)");

        HttpResponse<String> redirect = Http.get(URI.create(task + "/result"), token);
        assertEquals(302, redirect.statusCode(), redirect.body());
        HttpResponse<InputStream> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(redirect.headers().firstValue("location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, download.statusCode());
        MessageDigest downloaded = sha256();
        long lines = 0;
        try (InputStream body = download.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; ) {
                downloaded.update(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        assertEquals(ROWS + 1, lines, "a header and every row, once");
        assertEquals(uninterruptedRunDigest(Json.parseObject(parameters)), HexFormat.of().formatHex(downloaded.digest()));
    }

    /** SHA-256 of what the job writes when nothing interrupts it. */
    private static String uninterruptedRunDigest(Map<String, Object> parameters) throws Exception {
        StockReportJob job = new StockReportJob();
        MessageDigest digest = sha256();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            job.run(job.parameters().validate(parameters), new RecordingJobContext(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
