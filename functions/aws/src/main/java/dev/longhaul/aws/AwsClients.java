package dev.longhaul.aws;

import dev.longhaul.aws.client.AwsCallListener;
import dev.longhaul.aws.client.ContainerCredentials;
import dev.longhaul.aws.client.Credentials;
import dev.longhaul.aws.client.CredentialsSource;
import dev.longhaul.aws.client.ServiceClient;
import dev.longhaul.aws.client.Transport;
import dev.longhaul.aws.client.UrlConnectionTransport;
import dev.longhaul.aws.dynamodb.DynamoDb;
import dev.longhaul.aws.s3.S3;
import dev.longhaul.aws.sqs.Sqs;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place the AWS clients are built: Longhaul's own SigV4 clients of DynamoDB, SQS and S3
 * (no AWS SDK in the functions; see the README's performance section). Everything comes from
 * the environment map handed in, nothing from disk or provider chains, and tests configure it by
 * passing a map.
 */
public final class AwsClients implements AutoCloseable {
    private final String region;
    private final CredentialsSource credentials;
    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;
    private final URI s3Endpoint;
    private final List<AwsCallListener> listeners;
    private final Transport transport;
    private DynamoDb dynamoDb;
    private Sqs sqs;
    private S3 s3;

    private AwsClients(String region, CredentialsSource credentials, URI dynamoDbEndpoint, URI sqsEndpoint,
                       URI s3Endpoint, List<AwsCallListener> listeners, Transport transport) {
        this.region = region;
        this.credentials = credentials;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.sqsEndpoint = sqsEndpoint;
        this.s3Endpoint = s3Endpoint;
        this.listeners = List.copyOf(listeners);
        this.transport = transport;
    }

    /** Clients configured from {@code AWS_REGION}, the credential variables and the endpoint overrides. */
    public static AwsClients fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, List.of());
    }

    /** As {@link #fromEnvironment(Map)}, with listeners told of every network attempt (to count calls, say). */
    public static AwsClients fromEnvironment(Map<String, String> env, List<AwsCallListener> listeners) {
        String region = required(env, "AWS_REGION");
        String faults = blankToNull(env.get(FaultInjector.VARIABLE));
        List<AwsCallListener> all = new ArrayList<>(listeners);
        if (faults != null) {
            // reliability tests only: the injector's class is not even loaded unless asked for
            all.add(FaultInjector.of(faults, env.get(FaultInjector.SEED_VARIABLE)));
        }
        return new AwsClients(region, credentials(env), endpoint(env, "AWS_ENDPOINT_URL_DYNAMODB"),
                endpoint(env, "AWS_ENDPOINT_URL_SQS"), endpoint(env, "AWS_ENDPOINT_URL_S3"), all,
                new UrlConnectionTransport());
    }

    /**
     * Clients configured like {@link #fromEnvironment(Map)} whose requests never leave the JVM:
     * every call is marshalled, signed and handed to a stand-in that answers an empty success.
     * For warming the request and response paths before a SnapStart snapshot, with no side
     * effect anywhere. Credentials are fixed placeholders: signing needs some, none are sent.
     */
    public static AwsClients offline(Map<String, String> env) {
        String region = blankToNull(env.get("AWS_REGION"));
        return new AwsClients(region == null ? "us-east-1" : region,
                CredentialsSource.fixed(new Credentials("OFFLINE", "offline-priming-only", null)),
                endpoint(env, "AWS_ENDPOINT_URL_DYNAMODB"), endpoint(env, "AWS_ENDPOINT_URL_SQS"),
                endpoint(env, "AWS_ENDPOINT_URL_S3"), List.of(), new OfflineTransport());
    }

    /**
     * The key variables when they are set (Lambda without SnapStart, tests, the local cloud); else
     * the container endpoint, which is how Lambda hands credentials to a SnapStart function (it
     * sets no key variables there, and keys captured in a snapshot would go stale anyway).
     */
    private static CredentialsSource credentials(Map<String, String> env) {
        String accessKeyId = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        if (accessKeyId == null && blankToNull(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) != null) {
            return ContainerCredentials.fromEnvironment(env);
        }
        return CredentialsSource.fixed(new Credentials(required(env, "AWS_ACCESS_KEY_ID"),
                required(env, "AWS_SECRET_ACCESS_KEY"), blankToNull(env.get("AWS_SESSION_TOKEN"))));
    }

    public String region() {
        return region;
    }

    public synchronized DynamoDb dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = new DynamoDb(service("DynamoDb", "dynamodb", false, DynamoDb::error),
                    dynamoDbEndpoint != null ? dynamoDbEndpoint : regional("dynamodb"));
        }
        return dynamoDb;
    }

    public synchronized Sqs sqs() {
        if (sqs == null) {
            sqs = new Sqs(service("Sqs", "sqs", false, Sqs::error),
                    sqsEndpoint != null ? sqsEndpoint : regional("sqs"));
        }
        return sqs;
    }

    /** Also the presigner: presigning is local and sends nothing. */
    public synchronized S3 s3() {
        if (s3 == null) {
            s3 = new S3(service("S3", "s3", true, S3::error), s3Endpoint, region);
        }
        return s3;
    }

    private ServiceClient service(String name, String signingName, boolean s3, ServiceClient.ErrorReader errors) {
        return new ServiceClient(name, signingName, region, credentials, transport, listeners, errors, s3);
    }

    private URI regional(String service) {
        return URI.create("https://" + service + "." + region + "."
                + (region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com") + "/");
    }

    /** Connections are the JDK's keep-alive cache: nothing to close. */
    @Override
    public void close() {
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
