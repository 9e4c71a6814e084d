package dev.longhaul.aws;

import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place SDK clients are built. Everything comes from the environment map handed in, so
 * nothing is looked up on disk or through the default provider chains (both cost cold start),
 * and tests configure it by passing a map. Each client is built on first use: a function pays
 * only for the clients it calls.
 */
public final class AwsClients implements AutoCloseable {

    private static final ProfileFile NO_PROFILE_FILE = ProfileFile.aggregator().build();

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;
    private final URI s3Endpoint;
    private final List<ExecutionInterceptor> interceptors;

    private final SdkHttpClient fixedHttpClient;
    private SdkHttpClient httpClient;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private S3Client s3;
    private S3Presigner presigner;

    private AwsClients(Region region, AwsCredentialsProvider credentials, URI dynamoDbEndpoint, URI sqsEndpoint,
                       URI s3Endpoint, List<ExecutionInterceptor> interceptors, SdkHttpClient fixedHttpClient) {
        this.region = region;
        this.credentials = credentials;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.sqsEndpoint = sqsEndpoint;
        this.s3Endpoint = s3Endpoint;
        this.interceptors = List.copyOf(interceptors);
        this.fixedHttpClient = fixedHttpClient;
    }

    /** Clients configured from {@code AWS_REGION}, the credential variables and the endpoint overrides. */
    public static AwsClients fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, List.of());
    }

    /** As {@link #fromEnvironment(Map)}, with interceptors added to every client (to count calls, say). */
    public static AwsClients fromEnvironment(Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        Region region = Region.of(required(env, "AWS_REGION"));
        String faults = blankToNull(env.get("LONGHAUL_FAULTS"));
        if (faults != null) {
            // reliability tests only: the injector's class is not even loaded unless asked for
            interceptors = FaultInjector.appendTo(interceptors, faults, env.get("LONGHAUL_FAULTS_SEED"));
        }
        return new AwsClients(region, credentials(env),
                endpoint(env, "AWS_ENDPOINT_URL_DYNAMODB"), endpoint(env, "AWS_ENDPOINT_URL_SQS"),
                endpoint(env, "AWS_ENDPOINT_URL_S3"), interceptors, null);
    }

    /**
     * Clients configured like {@link #fromEnvironment(Map)} whose requests never leave the JVM:
     * every call is marshalled, signed and "sent" to a local stand-in that answers an empty
     * success. For warming the request and response paths before a SnapStart snapshot, with no
     * side effect anywhere. Credentials are fixed placeholders: signing needs some, none are sent.
     */
    public static AwsClients offline(Map<String, String> env) {
        String regionName = blankToNull(env.get("AWS_REGION"));
        return new AwsClients(Region.of(regionName == null ? "us-east-1" : regionName),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("OFFLINE", "offline-priming-only")),
                endpoint(env, "AWS_ENDPOINT_URL_DYNAMODB"), endpoint(env, "AWS_ENDPOINT_URL_SQS"),
                endpoint(env, "AWS_ENDPOINT_URL_S3"), List.of(), new OfflineHttpClient());
    }

    /**
     * The key variables when they are set (Lambda without SnapStart, tests, the local cloud); else
     * the container endpoint, which is how Lambda hands credentials to a SnapStart function (it
     * sets no key variables there, and keys captured in a snapshot would go stale anyway).
     */
    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String accessKeyId = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        if (accessKeyId == null && blankToNull(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) != null) {
            return ContainerCredentialsProvider.builder().build();
        }
        String sessionToken = blankToNull(env.get("AWS_SESSION_TOKEN"));
        accessKeyId = required(env, "AWS_ACCESS_KEY_ID");
        String secretAccessKey = required(env, "AWS_SECRET_ACCESS_KEY");
        AwsCredentials credentials = sessionToken == null
                ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken);
        return StaticCredentialsProvider.create(credentials);
    }

    public Region region() {
        return region;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = configure(DynamoDbClient.builder(), dynamoDbEndpoint).build();
        }
        return dynamoDb;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = configure(SqsClient.builder(), sqsEndpoint).build();
        }
        return sqs;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            // Emulators answer on host:port only; virtual-host addressing would need bucket.host DNS.
            s3 = configure(S3Client.builder(), s3Endpoint).forcePathStyle(s3Endpoint != null).build();
        }
        return s3;
    }

    /** Signing is local: the presigner needs no HTTP client, so it does not build one. */
    public synchronized S3Presigner presigner() {
        if (presigner == null) {
            S3Presigner.Builder builder = S3Presigner.builder()
                    .region(region)
                    .credentialsProvider(credentials)
                    .serviceConfiguration(S3Configuration.builder()
                            .pathStyleAccessEnabled(s3Endpoint != null)
                            .profileFile(NO_PROFILE_FILE)
                            .build());
            if (s3Endpoint != null) {
                builder.endpointOverride(s3Endpoint);
            }
            presigner = builder.build();
        }
        return presigner;
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClient(httpClient())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .defaultProfileFileSupplier(() -> NO_PROFILE_FILE)
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
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (presigner != null) {
            presigner.close();
        }
        if (httpClient != null) {
            httpClient.close();
        }
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
