package dev.longhaul.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.api.ApiHandler;
import dev.longhaul.api.ApiInvoker;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.job.builtin.StockReportJob;
import dev.longhaul.core.testing.RecordingJobContext;
import dev.longhaul.emulators.SqsEvents;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The whole loop on the emulators: create through the API handler, run the worker on what SQS
 * really delivers, follow the 303 and the 302, download through the presigned URL, watch the URL
 * and then the task expire, and DynamoDB Local's TTL delete the item.
 */
class TaskLifecycleEndToEndTest {
    private static final int PRESIGN_TTL_SECONDS = 2;
    private static final int RESULT_TTL_SECONDS = 8;

    @Test
    void createRunPollDownloadExpire() throws Exception {
        TestCloud cloud = TestCloud.get();
        cloud.reset();
        Map<String, String> apiEnvironment = new HashMap<>(cloud.environment("ApiFunction"));
        apiEnvironment.put("PRESIGN_TTL_SECONDS", String.valueOf(PRESIGN_TTL_SECONDS));
        Map<String, String> workerEnvironment = new HashMap<>(cloud.environment("WorkerFunction"));
        workerEnvironment.put("RESULT_TTL_SECONDS", String.valueOf(RESULT_TTL_SECONDS));
        ApiInvoker api = new ApiInvoker(new ApiHandler(apiEnvironment));
        WorkerInvoker worker = new WorkerInvoker(new WorkerHandler(workerEnvironment));
        DynamoDbTaskStore store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());

        // create: 202 with the status URL
        ApiInvoker.Response created = api.invoke("api-create-report.json");
        assertEquals(202, created.status(), created.body());
        String id = created.json().string("id");
        String statusUrl = created.header("Location");
        assertEquals("/v1/tasks/" + id, statusUrl);

        // the worker runs on what SQS delivers, as the event source mapping would hand it over
        List<Message> delivered = cloud.receive(10);
        assertEquals(1, delivered.size());
        List<String> failures = worker.invoke(SqsEvents.of(delivered));
        assertEquals(List.of(), failures);
        delivered.forEach(cloud::delete);

        // status: 303 See Other to the result
        ApiInvoker.Response status = api.invokeForTask("api-get-task.json", id);
        assertEquals(303, status.status(), status.body());
        assertEquals("/v1/tasks/" + id + "/result", status.header("Location"));
        assertEquals("succeeded", status.json().string("status"));
        Instant expiresAt = Instant.parse(status.json().string("expiresAt"));

        // result: 302 Found to a presigned URL that serves the report's exact bytes
        ApiInvoker.Response result = api.invokeForTask("api-get-result.json", id);
        assertEquals(302, result.status(), result.body());
        URI download = URI.create(result.header("Location"));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(download).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, file.statusCode());
        assertArrayEquals(expectedReport(1000, 42), file.body());
        assertTrue(file.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals(status.json().object("result").longValue("size"), (long) file.body().length);

        // the same URL stops working once its few seconds have passed: S3Proxy checks the signature's expiry
        Thread.sleep((PRESIGN_TTL_SECONDS + 1) * 1000L);
        HttpResponse<byte[]> late = http.send(HttpRequest.newBuilder(download).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, late.statusCode());

        // after expiresAt the task is gone for clients, even while the item still exists
        sleepUntil(expiresAt.plusMillis(200));
        assertEquals(410, api.invokeForTask("api-get-task.json", id).status());
        assertEquals(410, api.invokeForTask("api-get-result.json", id).status());

        // and DynamoDB Local's TTL really deletes it
        Instant deadline = Instant.now().plusSeconds(120);
        while (store.find(id).isPresent() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertFalse(store.find(id).isPresent(), "TTL deleted the item");
        assertEquals(404, api.invokeForTask("api-get-task.json", id).status());
    }

    private static byte[] expectedReport(long rows, long seed) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StockReportJob job = new StockReportJob();
        job.run(job.parameters().validate(Map.of("rows", rows, "format", "csv", "seed", seed)), new RecordingJobContext(bytes));
        byte[] report = bytes.toByteArray();
        assertEquals(rows + 1, new String(report, java.nio.charset.StandardCharsets.UTF_8).lines().count());
        return report;
    }

    private static void sleepUntil(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
