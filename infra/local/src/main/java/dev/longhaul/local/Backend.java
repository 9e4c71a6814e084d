package dev.longhaul.local;

import dev.longhaul.emulators.Emulators;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the AWS services are: the in-process {@link Emulators} by default, or the endpoints named by
 * {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_DYNAMODB/_SQS/_S3} (LocalStack, moto, or an
 * account when a service has no endpoint variable). It builds the local cloud's own clients and the
 * variables handed to every function, so both reach the same services.
 */
final class Backend implements AutoCloseable {

    private static final List<String> SERVICES = List.of("DYNAMODB", "SQS", "S3");
    private static final String DEFAULT_REGION = "us-east-1";

    private final String description;
    private final Emulators ownedEmulators;
    private final Region region;
    private final AwsCredentials credentials;
    private final Map<String, URI> endpoints;
    private final SdkHttpClient httpClient = UrlConnectionHttpClient.create();
    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient dynamoDbStreams;
    private final SqsClient sqs;
    private final S3Client s3;

    private Backend(String description, Emulators ownedEmulators, Region region, AwsCredentials credentials,
                    Map<String, URI> endpoints) {
        this.description = description;
        this.ownedEmulators = ownedEmulators;
        this.region = region;
        this.credentials = credentials;
        this.endpoints = Map.copyOf(endpoints);
        this.dynamoDb = configure(DynamoDbClient.builder(), "DYNAMODB").build();
        this.dynamoDbStreams = configure(DynamoDbStreamsClient.builder(), "DYNAMODB").build();
        this.sqs = configure(SqsClient.builder(), "SQS").build();
        this.s3 = configure(S3Client.builder(), "S3").forcePathStyle(endpoints.containsKey("S3")).build();
    }

    /** Whether the environment names an endpoint, in which case no emulator is started. */
    static boolean namesEndpoints(Map<String, String> environment) {
        return value(environment, "AWS_ENDPOINT_URL") != null
                || SERVICES.stream().anyMatch(service -> value(environment, "AWS_ENDPOINT_URL_" + service) != null);
    }

    /**
     * The endpoints of {@code environment}: per-service variables over {@code AWS_ENDPOINT_URL}, region
     * from {@code AWS_REGION} or {@code AWS_DEFAULT_REGION}, credentials from the variables or else the
     * SDK's default chain (profile, SSO, container, instance).
     */
    static Backend external(Map<String, String> environment) {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        for (String service : SERVICES) {
            String endpoint = value(environment, "AWS_ENDPOINT_URL_" + service);
            if (endpoint == null) {
                endpoint = value(environment, "AWS_ENDPOINT_URL");
            }
            if (endpoint != null) {
                endpoints.put(service, URI.create(endpoint));
            }
        }
        String region = value(environment, "AWS_REGION");
        if (region == null) {
            region = value(environment, "AWS_DEFAULT_REGION");
        }
        AwsCredentials credentials;
        String accessKeyId = value(environment, "AWS_ACCESS_KEY_ID");
        String secretAccessKey = value(environment, "AWS_SECRET_ACCESS_KEY");
        if (accessKeyId != null && secretAccessKey != null) {
            String sessionToken = value(environment, "AWS_SESSION_TOKEN");
            credentials = sessionToken == null
                    ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                    : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken);
        } else {
            try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
                credentials = chain.resolveCredentials();
            } catch (RuntimeException e) {
                throw new IllegalStateException("An endpoint is set but no AWS credentials were found: set"
                        + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any value for LocalStack or moto)", e);
            }
        }
        StringBuilder description = new StringBuilder("external endpoints");
        endpoints.forEach((service, uri) -> description.append(' ').append(service.toLowerCase()).append('=').append(uri));
        SERVICES.stream().filter(service -> !endpoints.containsKey(service))
                .forEach(service -> description.append(' ').append(service.toLowerCase()).append("=AWS"));
        return new Backend(description.toString(), null, Region.of(region == null ? DEFAULT_REGION : region),
                credentials, endpoints);
    }

    /** The given emulators, which the caller keeps ownership of, or new ones this backend stops on close. */
    static Backend emulators(Emulators given) {
        Emulators emulators = given == null ? Emulators.start() : given;
        Map<String, URI> endpoints = Map.of(
                "DYNAMODB", emulators.dynamoDbEndpoint(),
                "SQS", emulators.sqsEndpoint(),
                "S3", emulators.s3Endpoint());
        return new Backend("in-process emulators (DynamoDB Local " + emulators.dynamoDbEndpoint()
                + ", ElasticMQ " + emulators.sqsEndpoint() + ", S3Proxy " + emulators.s3Endpoint() + ")",
                given == null ? emulators : null, Region.of(emulators.region()),
                AwsBasicCredentials.create(emulators.accessKeyId(), emulators.secretAccessKey()), endpoints);
    }

    String description() {
        return description;
    }

    Region region() {
        return region;
    }

    /**
     * What Lambda would give a function about its account (region, credentials), plus the endpoint
     * overrides so its SDK clients reach the same services as the local cloud.
     */
    Map<String, String> functionEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", region.id());
        environment.put("AWS_DEFAULT_REGION", region.id());
        environment.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        if (credentials instanceof AwsSessionCredentials session) {
            environment.put("AWS_SESSION_TOKEN", session.sessionToken());
        }
        endpoints.forEach((service, uri) -> environment.put("AWS_ENDPOINT_URL_" + service, uri.toString()));
        if (!endpoints.isEmpty()) {
            // emulators on a laptop or a loaded CI machine: the functions' SDK time limits, ten times longer
            environment.put("LONGHAUL_AWS_TIMEOUT_SCALE", "10");
        }
        return environment;
    }

    DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    DynamoDbStreamsClient dynamoDbStreams() {
        return dynamoDbStreams;
    }

    SqsClient sqs() {
        return sqs;
    }

    S3Client s3() {
        return s3;
    }

    @Override
    public void close() {
        dynamoDb.close();
        dynamoDbStreams.close();
        sqs.close();
        s3.close();
        httpClient.close();
        if (ownedEmulators != null) {
            ownedEmulators.close();
        }
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, String service) {
        builder.region(region)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(httpClient);
        URI endpoint = endpoints.get(service);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    private static String value(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
