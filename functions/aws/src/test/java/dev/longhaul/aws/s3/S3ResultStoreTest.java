package dev.longhaul.aws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.testing.AwsCallCounter;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.port.ResultUpload;
import dev.longhaul.core.task.TaskIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Integration tier: against S3Proxy, which checks signatures and presigned expiry as S3 does. */
class S3ResultStoreTest {
    private static final int MIB = 1024 * 1024;
    private static final AwsCallCounter COUNTER = new AwsCallCounter();
    private static final AwsClients COUNTED = AwsClients.fromEnvironment(TestCloud.get().environment(), List.of(COUNTER));

    private final TestCloud cloud = TestCloud.get();
    private final S3ResultStore store = new S3ResultStore(COUNTED.s3(), COUNTED.presigner(), cloud.bucket());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String taskId = TaskIds.create().newId();

    @AfterAll
    static void closeClients() {
        COUNTED.close();
    }

    @BeforeEach
    void reset() {
        cloud.reset();
        COUNTER.reset();
    }

    @Test
    void smallResultIsOnePutObject() throws IOException {
        byte[] content = "id,name\n1,Grüße\n".getBytes(StandardCharsets.UTF_8);
        long size;
        try (ResultUpload upload = store.open(taskId, "text/csv")) {
            upload.stream().write(content);
            size = upload.commit();
        }

        assertEquals(content.length, size);
        assertEquals(Map.of("S3.PutObject", 1), COUNTER.calls());
        assertArrayEquals(content, read(S3ResultStore.key(taskId)));
        HeadObjectResponse head = cloud.clients().s3().headObject(h -> h.bucket(cloud.bucket())
                .key(S3ResultStore.key(taskId)));
        assertEquals("text/csv", head.contentType());
        assertEquals(content.length, head.contentLength());
    }

    @Test
    void resultOfExactlyOnePartIsStillOnePutObject() throws IOException {
        S3ResultStore smallParts = new S3ResultStore(COUNTED.s3(), COUNTED.presigner(), cloud.bucket(),
                S3ResultStore.MIN_PART_SIZE);
        try (ResultUpload upload = smallParts.open(taskId, "application/octet-stream")) {
            upload.stream().write(new byte[S3ResultStore.MIN_PART_SIZE]);
            assertEquals(S3ResultStore.MIN_PART_SIZE, upload.commit());
        }
        assertEquals(Map.of("S3.PutObject", 1), COUNTER.calls());
    }

    @Test
    void largeResultStreamsAsMultipartAndReadsBackIdentical() throws IOException {
        long total = 20L * MIB;
        MessageDigest written = sha256();
        Random random = new Random(42);
        byte[] chunk = new byte[64 * 1024 + 7]; // odd size, so writes straddle part boundaries
        long size;
        try (ResultUpload upload = store.open(taskId, "application/x-ndjson")) {
            OutputStream out = upload.stream();
            for (long remaining = total; remaining > 0; ) {
                int n = (int) Math.min(chunk.length, remaining);
                random.nextBytes(chunk);
                out.write(chunk, 0, n);
                written.update(chunk, 0, n);
                remaining -= n;
            }
            size = upload.commit();
        }

        assertEquals(total, size);
        assertEquals(Map.of("S3.CreateMultipartUpload", 1, "S3.UploadPart", 3, "S3.CompleteMultipartUpload", 1),
                COUNTER.calls());
        MessageDigest read = sha256();
        try (ResponseInputStream<GetObjectResponse> in = cloud.clients().s3().getObject(g -> g
                .bucket(cloud.bucket()).key(S3ResultStore.key(taskId)))) {
            assertEquals(total, in.response().contentLength());
            assertEquals("application/x-ndjson", in.response().contentType());
            byte[] buffer = new byte[128 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                read.update(buffer, 0, n);
            }
        }
        assertArrayEquals(written.digest(), read.digest());
    }

    @Test
    void abortedMultipartUploadLeavesNothing() throws IOException {
        ResultUpload upload = store.open(taskId, "application/octet-stream");
        upload.stream().write(new byte[9 * MIB]);
        upload.abort();
        upload.abort();

        assertEquals(Map.of("S3.CreateMultipartUpload", 1, "S3.UploadPart", 1, "S3.AbortMultipartUpload", 1),
                COUNTER.calls());
        assertEquals(0, cloud.objectCount());
        assertTrue(cloud.clients().s3().listMultipartUploads(l -> l.bucket(cloud.bucket())).uploads().isEmpty());
        assertThrows(IOException.class, () -> upload.stream().write(1));
        assertThrows(IllegalStateException.class, upload::commit);
    }

    @Test
    void closingWithoutCommitDiscardsASmallResultWithoutAnyCall() throws IOException {
        try (ResultUpload upload = store.open(taskId, "text/plain")) {
            upload.stream().write("never committed".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, COUNTER.total());
        assertEquals(0, cloud.objectCount());
    }

    @Test
    void presignedUrlDownloadsTheBytesAsAnAttachment() throws Exception {
        byte[] content = put("{\"ok\":true}\n");

        URI url = store.presignedDownload(taskId, "application/json", "report 2025/01.json\"\r\n", Duration.ofMinutes(5));
        HttpResponse<byte[]> response = get(url);

        assertEquals(0, COUNTER.calls().getOrDefault("S3.GetObject", 0), "presigning sends nothing");
        assertEquals(200, response.statusCode());
        assertArrayEquals(content, response.body());
        assertEquals("attachment; filename=\"report_2025_01.json___\"",
                response.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    void tamperedSignatureIsRefused() throws Exception {
        put("secret");
        String url = store.presignedDownload(taskId, "text/plain", "r.txt", Duration.ofMinutes(5)).toString();
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = url.charAt(at) == '0' ? '1' : '0';
        URI tampered = URI.create(url.substring(0, at) + flipped + url.substring(at + 1));

        assertEquals(403, get(tampered).statusCode());
    }

    @Test
    void expiredUrlIsRefused() throws Exception {
        put("short-lived");
        URI url = store.presignedDownload(taskId, "text/plain", "r.txt", Duration.ofSeconds(1));

        Thread.sleep(2_200);

        assertEquals(403, get(url).statusCode());
    }

    @Test
    void deleteRemovesTheObjectAndIgnoresMissingOnes() throws IOException {
        put("to be deleted");
        assertEquals(1, cloud.objectCount());

        store.delete(taskId);
        store.delete(taskId);

        assertEquals(0, cloud.objectCount());
        assertThrows(NoSuchKeyException.class, () -> read(S3ResultStore.key(taskId)));
    }

    @Test
    void fileNamesAreReducedToSafeCharacters() {
        assertEquals("a_b-c.d_e", S3ResultStore.safeFileName("a b-c.d/e", "x"));
        assertEquals("fallback", S3ResultStore.safeFileName(" ", "fallback"));
        assertEquals("__", S3ResultStore.safeFileName("ü\"", "x"));
    }

    @Test
    void partsSmallerThanTheS3MinimumAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new S3ResultStore(COUNTED.s3(), COUNTED.presigner(), cloud.bucket(), 1024));
    }

    private byte[] put(String text) throws IOException {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        try (ResultUpload upload = store.open(taskId, "text/plain")) {
            upload.stream().write(content);
            upload.commit();
        }
        return content;
    }

    private byte[] read(String key) throws IOException {
        try (InputStream in = cloud.clients().s3().getObject(g -> g.bucket(cloud.bucket()).key(key))) {
            return in.readAllBytes();
        }
    }

    private HttpResponse<byte[]> get(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
