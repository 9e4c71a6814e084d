package dev.longhaul.aws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.client.AwsCall;
import dev.longhaul.aws.client.AwsResponse;
import dev.longhaul.aws.client.Credentials;
import dev.longhaul.aws.client.CredentialsSource;
import dev.longhaul.aws.client.ServiceClient;
import dev.longhaul.aws.client.SigV4;
import dev.longhaul.aws.client.Transport;
import dev.longhaul.aws.client.UrlConnectionTransport;
import dev.longhaul.core.port.ResultUpload;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production transport path, which the other tests (plain http emulators) never take: https
 * with certificate and host name checks, and S3's {@code UNSIGNED-PAYLOAD} over TLS, against an
 * S3Proxy serving TLS with a certificate made for this test and checking SigV4.
 */
class S3OverTlsTest {
    private static final String KEY = "AKIDTLSTEST";
    private static final String SECRET = "tls-test-secret";
    private static final String BUCKET = "tls-results";
    private static final String PASSWORD = "tls-test-password";

    @TempDir
    static Path dir;
    private static S3Proxy proxy;
    private static SSLSocketFactory trusting;
    private static final List<String> payloadHashes = Collections.synchronizedList(new ArrayList<>());
    private static final List<String> schemes = Collections.synchronizedList(new ArrayList<>());
    private static S3 s3;

    @BeforeAll
    static void start() throws Exception {
        Path keyStore = dir.resolve("s3proxy.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "s3proxy", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
                new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        TransientNio2BlobStore blobs = new TransientNio2BlobStore();
        blobs.createContainer(software.amazon.awssdk.services.s3.model.CreateBucketRequest.builder().bucket(BUCKET).build());
        proxy = S3Proxy.builder()
                .blobStore(blobs)
                .awsAuthentication(AuthenticationType.AWS_V4, KEY, SECRET)
                .secureEndpoint(URI.create("https://127.0.0.1:0"))
                .keyStore(keyStore.toString(), PASSWORD)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        // trust exactly the test certificate
        KeyStore stored = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keyStore)) {
            stored.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = stored.getCertificate("s3proxy");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("s3proxy", certificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        trusting = context.getSocketFactory();

        UrlConnectionTransport tls = new UrlConnectionTransport(Duration.ofSeconds(2), Duration.ofSeconds(30), trusting);
        Transport recording = (method, uri, headers, body) -> {
            payloadHashes.add(headers.get("x-amz-content-sha256"));
            return tls.send(method, uri, headers, body);
        };
        ServiceClient client = new ServiceClient("S3", "s3", "us-east-1",
                CredentialsSource.fixed(new Credentials(KEY, SECRET, null)), recording,
                List.of((AwsCall call) -> schemes.add(call.uri().getScheme())), S3::error, true);
        s3 = new S3(client, URI.create("https://127.0.0.1:" + proxy.getSecurePort()), "us-east-1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }

    @Test
    void writesReadsPresignsAndDeletesOverTlsWithUnsignedPayloads() throws Exception {
        S3ResultStore store = new S3ResultStore(s3, BUCKET, S3ResultStore.MIN_PART_SIZE);
        byte[] content = new byte[S3ResultStore.MIN_PART_SIZE + 1234];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        try (ResultUpload upload = store.open("tls-task", "text/plain")) {
            try (OutputStream out = upload.stream()) {
                out.write(content);
            }
            assertEquals(content.length, upload.commit());
        }
        assertEquals(content.length, store.storedSize("tls-task").orElseThrow());
        assertArrayEquals(content, s3.getObject(BUCKET, S3ResultStore.key("tls-task")));

        URI presigned = store.presignedDownload("tls-task", "text/plain", "report.txt", Duration.ofMinutes(1));
        assertEquals("https", presigned.getScheme());
        HttpsURLConnection download = (HttpsURLConnection) presigned.toURL().openConnection();
        download.setSSLSocketFactory(trusting);
        assertEquals(200, download.getResponseCode());
        try (InputStream in = download.getInputStream()) {
            assertArrayEquals(content, in.readAllBytes());
        }

        store.delete("tls-task");
        assertTrue(store.storedSize("tls-task").isEmpty());

        assertTrue(schemes.stream().allMatch("https"::equals), schemes.toString());
        assertTrue(payloadHashes.size() >= 7, payloadHashes.toString());
        assertTrue(payloadHashes.stream().allMatch(SigV4.UNSIGNED_PAYLOAD::equals),
                "over TLS the body is not hashed: " + payloadHashes);
    }

    @Test
    void aWrongSignatureIsRefusedOverTlsToo() {
        ServiceClient wrong = new ServiceClient("S3", "s3", "us-east-1",
                CredentialsSource.fixed(new Credentials(KEY, "not-the-secret", null)),
                new UrlConnectionTransport(Duration.ofSeconds(2), Duration.ofSeconds(30), trusting), List.of(),
                S3::error, true);
        dev.longhaul.aws.client.AwsServiceException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.longhaul.aws.client.AwsServiceException.class,
                () -> new S3(wrong, URI.create("https://127.0.0.1:" + proxy.getSecurePort()), "us-east-1")
                        .putObject(BUCKET, "results/forged", "text/plain", Transport.Body.of(new byte[] {1})));
        assertEquals(403, e.statusCode(), e.getMessage());
    }
}
