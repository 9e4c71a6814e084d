package dev.longhaul.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place the functions' AWS SDK clients are built, from a function's environment: region
 * from {@code AWS_REGION}, endpoints from the standard {@code AWS_ENDPOINT_URL},
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code _SQS} and {@code _S3} variables, credentials from the
 * SDK's providers, one explicit HTTP client ({@link UrlConnectionHttpClient}, chosen by measurement:
 * see BENCHMARKS.md), the standard retry mode and time limits that fit the function's own timeout.
 *
 * <p>The environment is a map rather than {@code System.getenv()} so that the local cloud can run
 * several functions, each with the variables the template gives it, in one JVM. On Lambda the map
 * is the process environment.
 *
 * <p>Each client is built on first use and then shared: a function pays only for the clients it
 * calls (the SnapStart priming builds them all before the snapshot).
 */
public final class AwsClients implements AutoCloseable {
    /** Multiplies every time limit; for emulators only (see {@link #timeoutScale}). */
    public static final String TIMEOUT_SCALE_VARIABLE = "LONGHAUL_AWS_TIMEOUT_SCALE";

    /**
     * Time limits of the SDK calls: one attempt, and one call with its retries. DynamoDB and SQS
     * answer in milliseconds; S3 carries result parts of several megabytes.
     */
    public record Timeouts(Duration attempt, Duration call, Duration dataAttempt, Duration dataCall) {
        public Timeouts {
            Objects.requireNonNull(attempt, "attempt");
            Objects.requireNonNull(call, "call");
            Objects.requireNonNull(dataAttempt, "dataAttempt");
            Objects.requireNonNull(dataCall, "dataCall");
        }

        /**
         * For the API (29 s behind API Gateway): 2 s an attempt, 5 s a call with its retries, so
         * the worst create (transaction, send, undo) stays near 15 s.
         */
        public static Timeouts api() {
            return new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
        }

        /** For the worker and the other functions: S3 parts of 8 MiB may take a while on a slow link. */
        public static Timeouts background() {
            return new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(90));
        }

        /** Every limit multiplied: for emulators on a loaded test machine, never on AWS. */
        Timeouts scaled(long factor) {
            return factor == 1 ? this : new Timeouts(attempt.multipliedBy(factor), call.multipliedBy(factor),
                    dataAttempt.multipliedBy(factor), dataCall.multipliedBy(factor));
        }
    }

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;
    private final URI s3Endpoint;
    private final List<ExecutionInterceptor> interceptors;
    private final Timeouts timeouts;
    private final SdkHttpClient fixedHttpClient;

    private SdkHttpClient httpClient;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private S3Client s3;
    private S3Presigner presigner;

    private AwsClients(Region region, AwsCredentialsProvider credentials, URI dynamoDbEndpoint, URI sqsEndpoint,
                       URI s3Endpoint, List<ExecutionInterceptor> interceptors, Timeouts timeouts,
                       SdkHttpClient fixedHttpClient) {
        this.region = region;
        this.credentials = credentials;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.sqsEndpoint = sqsEndpoint;
        this.s3Endpoint = s3Endpoint;
        this.interceptors = List.copyOf(interceptors);
        this.timeouts = timeouts;
        this.fixedHttpClient = fixedHttpClient;
    }

    /** Clients configured from the environment, with the background functions' time limits. */
    public static AwsClients fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, Timeouts.background(), List.of());
    }

    public static AwsClients fromEnvironment(Map<String, String> env, Timeouts timeouts) {
        return fromEnvironment(env, timeouts, List.of());
    }

    public static AwsClients fromEnvironment(Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        return fromEnvironment(env, Timeouts.background(), interceptors);
    }

    /** As {@link #fromEnvironment(Map)}, with interceptors added to every client (to count calls, say). */
    public static AwsClients fromEnvironment(Map<String, String> env, Timeouts timeouts,
                                             List<ExecutionInterceptor> interceptors) {
        Region region = Region.of(required(env, "AWS_REGION"));
        List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
        String faults = blankToNull(env.get(FaultInjector.VARIABLE));
        if (faults != null) {
            // reliability tests only: the injector's class is not even loaded unless asked for
            all.add(FaultInjector.of(faults, env.get(FaultInjector.SEED_VARIABLE)));
        }
        return new AwsClients(region, credentials(env), endpoint(env, "AWS_ENDPOINT_URL_DYNAMODB"),
                endpoint(env, "AWS_ENDPOINT_URL_SQS"), endpoint(env, "AWS_ENDPOINT_URL_S3"), all,
                timeouts.scaled(timeoutScale(env)), null);
    }

    /**
     * Clients configured like {@link #fromEnvironment(Map)} whose requests never leave the JVM:
     * every call is marshalled, signed, checksummed and handed to {@link OfflineHttpClient}, which
     * answers an empty success. For warming those paths before a SnapStart snapshot with no side
     * effect anywhere. Credentials are fixed placeholders, so no real ones are resolved into the
     * snapshot: signing needs some, and nothing is sent.
     */
    public static AwsClients offline(Map<String, String> env) {
        String regionName = blankToNull(env.get("AWS_REGION"));
        return new AwsClients(Region.of(regionName == null ? "us-east-1" : regionName),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("OFFLINE", "offline-priming-only")),
                endpoint(env, "AWS_ENDPOINT_URL_DYNAMODB"), endpoint(env, "AWS_ENDPOINT_URL_SQS"),
                endpoint(env, "AWS_ENDPOINT_URL_S3"), List.of(), Timeouts.background(), new OfflineHttpClient());
    }

    /**
     * Keys set in the function's environment map (on Lambda without SnapStart, in the local cloud
     * and the tests, each function with its own) are used as they are, as the SDK's environment
     * provider would use them; otherwise the SDK's default chain: under SnapStart the container
     * endpoint, on a laptop the developer's profile, SSO or web identity. The chain
     * resolves lazily, on the first call, never at build time, so nothing is resolved into a
     * snapshot.
     */
    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String accessKeyId = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        String secretAccessKey = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
        if (accessKeyId == null || secretAccessKey == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        String sessionToken = blankToNull(env.get("AWS_SESSION_TOKEN"));
        AwsCredentials keys = sessionToken == null
                ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken);
        return StaticCredentialsProvider.create(keys);
    }

    public Region region() {
        return region;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = configure(DynamoDbClient.builder(), dynamoDbEndpoint, timeouts.attempt(), timeouts.call()).build();
        }
        return dynamoDb;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = configure(SqsClient.builder(), sqsEndpoint, timeouts.attempt(), timeouts.call()).build();
        }
        return sqs;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            // Emulators answer on host:port only; virtual-host addressing would need bucket.host DNS.
            s3 = configure(S3Client.builder(), s3Endpoint, timeouts.dataAttempt(), timeouts.dataCall())
                    .forcePathStyle(s3Endpoint != null)
                    .build();
        }
        return s3;
    }

    /** Signing is local: the presigner sends nothing and needs no HTTP client. */
    public synchronized S3Presigner presigner() {
        if (presigner == null) {
            S3Presigner.Builder builder = S3Presigner.builder()
                    .region(region)
                    .credentialsProvider(credentials)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s3Endpoint != null).build());
            if (s3Endpoint != null) {
                builder.endpointOverride(s3Endpoint);
            }
            presigner = builder.build();
        }
        return presigner;
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(
            B builder, URI endpoint, Duration attempt, Duration call) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClient(httpClient())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(attempt)
                        .apiCallTimeout(call)
                        .executionInterceptors(interceptors)
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    private synchronized SdkHttpClient httpClient() {
        if (fixedHttpClient != null) {
            return fixedHttpClient;
        }
        if (httpClient == null) {
            httpClient = UrlConnectionHttpClient.create();
        }
        return httpClient;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable client : new AutoCloseable[] {dynamoDb, sqs, s3, presigner, httpClient}) {
            if (client != null) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // closing releases connections; nothing left to do on failure
                }
            }
        }
    }

    /**
     * {@code LONGHAUL_AWS_TIMEOUT_SCALE}: the emulators' environment sets it (tests, the local cloud,
     * the benchmarks), where a loaded machine can make one call take seconds; unset on AWS.
     */
    static long timeoutScale(Map<String, String> env) {
        String value = blankToNull(env.get(TIMEOUT_SCALE_VARIABLE));
        if (value == null) {
            return 1;
        }
        try {
            long scale = Long.parseLong(value.trim());
            if (scale >= 1 && scale <= 100) {
                return scale;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new IllegalStateException("Environment variable " + TIMEOUT_SCALE_VARIABLE
                + " must be a whole number from 1 to 100, got '" + value + "'");
    }

    private static String required(Map<String, String> env, String name) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            throw new IllegalStateException("Missing environment variable " + name);
        }
        return value;
    }

    /** The service's own override, else the general {@code AWS_ENDPOINT_URL}, else none. */
    private static URI endpoint(Map<String, String> env, String serviceVariable) {
        String value = blankToNull(env.get(serviceVariable));
        if (value == null) {
            value = blankToNull(env.get("AWS_ENDPOINT_URL"));
        }
        return value == null ? null : URI.create(value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
