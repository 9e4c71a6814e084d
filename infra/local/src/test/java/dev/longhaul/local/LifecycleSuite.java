package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longhaul.core.json.Json;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The end-to-end suite over real HTTP, run against each backend: a report task from creation to
 * the downloaded CSV, the authorizer's refusals, and the backend-dependent behaviours (presigned URL
 * validation, TTL) that a backend lacking them skips with the reason.
 */
abstract class LifecycleSuite {

    private static final Duration TASK_LIMIT = Duration.ofSeconds(60);

    /** The running cloud with the repository's template. */
    abstract LocalCloud cloud();

    /** Null when the backend validates presigned URLs, else why it does not. */
    abstract String noPresignedUrlValidation();

    /** Null when the backend deletes expired items by TTL, else why it does not. */
    abstract String noTimeToLive();

    @Test
    void reportTaskFromCreationToDownloadedCsv() {
        Download download = runReport(1000);
        String csv = new String(download.body(), StandardCharsets.UTF_8);
        List<String> lines = csv.lines().toList();
        assertEquals("product,store,stock,reserve,inTransit", lines.get(0));
        assertEquals(1001, lines.size(), "a header and 1,000 rows");
        // The --env-vars override of ApiFunction reached the function.
        assertTrue(download.url().getRawQuery().contains("X-Amz-Expires=7"), download.url().toString());
    }

    @Test
    void refusesRequestsWithoutAValidToken() {
        URI tasks = cloud().baseUrl().resolve("/v1/tasks");
        Instant now = Instant.now();
        Map<String, String> tokens = Map.of(
                "missing", "",
                "not a JWT", "not-a-jwt",
                "bad signature", new Jwt("another-secret").mint("alice", Jwt.LOCAL_ISSUER, Jwt.LOCAL_AUDIENCE, now, Duration.ofHours(1)),
                "expired", Http.token(Map.of("sub", "alice", "iss", Jwt.LOCAL_ISSUER, "aud", Jwt.LOCAL_AUDIENCE,
                        "exp", now.minusSeconds(60).getEpochSecond())),
                "not yet valid", Http.token(Map.of("sub", "alice", "iss", Jwt.LOCAL_ISSUER, "aud", Jwt.LOCAL_AUDIENCE,
                        "exp", now.plusSeconds(3600).getEpochSecond(), "nbf", now.plusSeconds(600).getEpochSecond())),
                "other issuer", Http.token(Map.of("sub", "alice", "iss", "https://evil.example/", "aud", Jwt.LOCAL_AUDIENCE,
                        "exp", now.plusSeconds(3600).getEpochSecond())),
                "other audience", Http.token(Map.of("sub", "alice", "iss", Jwt.LOCAL_ISSUER, "aud", "someone-else",
                        "exp", now.plusSeconds(3600).getEpochSecond())));
        tokens.forEach((why, token) -> {
            HttpResponse<String> response = Http.postJson(tasks, token.isEmpty() ? null : token,
                    "{\"type\":\"report.stock\",\"parameters\":{\"rows\":1}}");
            assertEquals(401, response.statusCode(), why);
            assertEquals("{\"message\":\"Unauthorized\"}", response.body(), why);
        });
    }

    @Test
    void unknownRouteIsNotFound() {
        HttpResponse<String> response = Http.get(cloud().baseUrl().resolve("/v2/nothing"), Http.token("alice"));
        assertEquals(404, response.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", response.body());
    }

    @Test
    void tamperedResultUrlIsRefused() {
        assumeTrue(noPresignedUrlValidation() == null, noPresignedUrlValidation());
        Download download = runReport(10);
        String url = download.url().toString();
        int signature = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = url.charAt(signature) == 'a' ? 'b' : 'a';
        URI tampered = URI.create(url.substring(0, signature) + flipped + url.substring(signature + 1));
        assertEquals(403, Http.download(tampered).statusCode());
    }

    @Test
    void expiredItemsAreDeletedByTimeToLive() throws InterruptedException {
        assumeTrue(noTimeToLive() == null, noTimeToLive());
        String table = cloud().stack().physicalId("TasksTable");
        String id = "ttl-probe-" + System.nanoTime();
        var dynamoDb = cloud().backend().dynamoDb();
        Map<String, AttributeValue> item = new HashMap<>();
        // DynamoDB Local 2.6.1 never deletes an expired item that is missing from one of the
        // table's GSIs (a sparse index), and then stalls TTL for that table: the probe fills every
        // index key so it measures TTL itself.
        for (var index : dynamoDb.describeTable(describe -> describe.tableName(table)).table().globalSecondaryIndexes()) {
            index.keySchema().forEach(key -> item.put(key.attributeName(), AttributeValue.fromS("ttl-probe")));
        }
        item.put("id", AttributeValue.fromS(id));
        item.put("ttl", AttributeValue.fromN(Long.toString(Instant.now().minusSeconds(60).getEpochSecond())));
        dynamoDb.putItem(put -> put.tableName(table).item(item));
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            if (!dynamoDb.getItem(get -> get.tableName(table).key(Map.of("id", AttributeValue.fromS(id)))
                    .consistentRead(true)).hasItem()) {
                return;
            }
            Thread.sleep(500);
        }
        fail("the expired item was not deleted within 40 s");
    }

    record Download(URI url, byte[] body, Duration elapsed) {
    }

    /** Creates a report task, polls it to the 303, follows the 302 and downloads the result. */
    Download runReport(int rows) {
        long begin = System.nanoTime();
        String token = Http.token("alice");
        URI base = cloud().baseUrl();
        HttpResponse<String> created = Http.postJson(base.resolve("/v1/tasks"), token,
                "{\"type\":\"report.stock\",\"parameters\":{\"rows\":" + rows + ",\"format\":\"csv\",\"seed\":42}}");
        assertEquals(202, created.statusCode(), created.body());
        String location = created.headers().firstValue("location").orElseThrow();
        URI task = base.resolve(location);

        long deadline = System.nanoTime() + TASK_LIMIT.toNanos();
        HttpResponse<String> status;
        while (true) {
            status = Http.get(task, token);
            if (status.statusCode() == 303) {
                break;
            }
            assertEquals(200, status.statusCode(), status.body());
            Object state = Json.parseObject(status.body()).get("status");
            assertTrue(!"failed".equals(state) && !"cancelled".equals(state), status.body());
            if (System.nanoTime() > deadline) {
                fail("task not done within " + TASK_LIMIT + ": " + status.body());
            }
            sleep(100);
        }
        URI result = task.resolve(status.headers().firstValue("location").orElseThrow());
        HttpResponse<String> redirect = Http.get(result, token);
        assertEquals(302, redirect.statusCode(), redirect.body());
        URI url = URI.create(redirect.headers().firstValue("location").orElseThrow());
        HttpResponse<byte[]> download = Http.download(url);
        assertEquals(200, download.statusCode(), () -> new String(download.body(), StandardCharsets.UTF_8));
        assertNotNull(download.body());
        return new Download(url, download.body(), Duration.ofNanos(System.nanoTime() - begin));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
