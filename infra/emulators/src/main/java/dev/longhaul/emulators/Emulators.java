package dev.longhaul.emulators;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * DynamoDB Local, ElasticMQ and S3Proxy running in this JVM, all in memory.
 *
 * <p>The three start in parallel because each one spends most of its start-up loading classes.
 * Endpoints use {@code 127.0.0.1}: with {@code localhost} the S3 client switches to
 * virtual-host addressing ({@code bucket.localhost}), which does not resolve.
 */
public final class Emulators implements AutoCloseable {

    private static final String REGION = "us-east-1";
    private static final String ACCESS_KEY_ID = "longhaul";
    private static final String SECRET_ACCESS_KEY = "longhaul-local-secret";
    private static final String HOST = "127.0.0.1";
    private static final Duration S3PROXY_START_LIMIT = Duration.ofSeconds(30);

    private static Emulators shared;

    private final DynamoDBProxyServer dynamoDb;
    private final SQSRestServer sqs;
    private final S3Proxy s3;
    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;
    private final URI s3Endpoint;
    private final Duration startupTime;

    private Emulators(Started<DynamoDBProxyServer> dynamoDb, Started<SQSRestServer> sqs, Started<S3Proxy> s3,
                      Duration startupTime) {
        this.dynamoDb = dynamoDb.server();
        this.sqs = sqs.server();
        this.s3 = s3.server();
        this.dynamoDbEndpoint = dynamoDb.endpoint();
        this.sqsEndpoint = sqs.endpoint();
        this.s3Endpoint = s3.endpoint();
        this.startupTime = startupTime;
    }

    /** Starts all three emulators, in parallel, and returns once every one accepts requests. */
    public static Emulators start() {
        long begin = System.nanoTime();
        ExecutorService starters = Executors.newFixedThreadPool(3, runnable -> {
            Thread thread = new Thread(runnable, "emulator-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletableFuture<Started<DynamoDBProxyServer>> dynamoDb =
                    CompletableFuture.supplyAsync(Emulators::startDynamoDb, starters);
            CompletableFuture<Started<SQSRestServer>> sqs =
                    CompletableFuture.supplyAsync(Emulators::startSqs, starters);
            CompletableFuture<Started<S3Proxy>> s3 =
                    CompletableFuture.supplyAsync(Emulators::startS3, starters);
            try {
                CompletableFuture.allOf(dynamoDb, sqs, s3).join();
            } catch (CompletionException e) {
                // Stop whichever did start so a failed start leaks no ports or threads.
                stopQuietly(dynamoDb, started -> started.server().stop());
                stopQuietly(sqs, started -> started.server().stopAndWait());
                stopQuietly(s3, started -> started.server().stop());
                throw new IllegalStateException("Could not start the emulators", e.getCause());
            }
            return new Emulators(dynamoDb.join(), sqs.join(), s3.join(),
                    Duration.ofNanos(System.nanoTime() - begin));
        } finally {
            starters.shutdown();
        }
    }

    /** One set of emulators per JVM, started on first use and stopped when the JVM exits. */
    public static synchronized Emulators shared() {
        if (shared == null) {
            Emulators started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "emulators-shutdown"));
            shared = started;
        }
        return shared;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public String region() {
        return REGION;
    }

    public String accessKeyId() {
        return ACCESS_KEY_ID;
    }

    public String secretAccessKey() {
        return SECRET_ACCESS_KEY;
    }

    /** Wall-clock time {@link #start()} took, from the first thread started to the last emulator ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * The standard SDK variables that point any SDK v2 client (or a function process) at these emulators.
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", REGION);
        environment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        environment.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString());
        environment.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint.toString());
        environment.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
        // the functions' SDK time limits (AwsClients), ten times longer: on a loaded 2-core test
        // machine an emulator call can take seconds, which on AWS would be an outage
        environment.put("LONGHAUL_AWS_TIMEOUT_SCALE", "10");
        return Collections.unmodifiableMap(environment);
    }

    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        stop(dynamoDb::stop, failures);
        stop(sqs::stopAndWait, failures);
        stop(s3::stop, failures);
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("Could not stop every emulator");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static Started<DynamoDBProxyServer> startDynamoDb() {
        // DynamoDB Local rejects -port 0, so a free port is picked first; another process could
        // take it in between, hence the few attempts.
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            DynamoDBProxyServer server = null;
            try {
                server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                        "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)});
                server.start();
                return new Started<>(server, endpoint(port));
            } catch (Exception e) {
                last = e;
                if (server != null) {
                    stop(server::stop, new ArrayList<>());
                }
            }
        }
        throw new IllegalStateException("DynamoDB Local did not start", last);
    }

    private static Started<SQSRestServer> startSqs() {
        SQSRestServer server = SQSRestServerBuilder
                .withDynamicPort()
                .withInterface(HOST)
                .withAWSRegion(REGION)
                .start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new Started<>(server, endpoint(port));
    }

    private static Started<S3Proxy> startS3() {
        S3Proxy server = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                .endpoint(URI.create("http://" + HOST + ":0"))
                .build();
        try {
            server.start();
            long deadline = System.nanoTime() + S3PROXY_START_LIMIT.toNanos();
            while (!"STARTED".equals(server.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within " + S3PROXY_START_LIMIT);
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting S3Proxy", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        return new Started<>(server, endpoint(server.getPort()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port", e);
        }
    }

    private static URI endpoint(int port) {
        return URI.create("http://" + HOST + ":" + port);
    }

    private static void stop(Stoppable stoppable, List<Exception> failures) {
        try {
            stoppable.stop();
        } catch (Exception e) {
            failures.add(e);
        }
    }

    private static <T> void stopQuietly(CompletableFuture<Started<T>> future, StartedStopper<T> stopper) {
        if (future.isDone() && !future.isCompletedExceptionally()) {
            try {
                stopper.stop(future.join());
            } catch (Exception ignored) {
                // Already failing: the start-up error is the one worth reporting.
            }
        } else {
            future.thenAccept(started -> {
                try {
                    stopper.stop(started);
                } catch (Exception ignored) {
                    // Same as above, from the thread that finished late.
                }
            });
        }
    }

    private record Started<T>(T server, URI endpoint) {
    }

    @FunctionalInterface
    private interface Stoppable {
        void stop() throws Exception;
    }

    @FunctionalInterface
    private interface StartedStopper<T> {
        void stop(Started<T> started) throws Exception;
    }
}
