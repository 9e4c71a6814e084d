package dev.longhaul.emulators;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * AWS SDK clients for provisioning and for test fixtures, configured from the same variables as
 * the functions ({@code AWS_REGION}, the keys, {@code AWS_ENDPOINT_URL_*}). The functions use
 * Longhaul's own clients; tests read back what those wrote through these, an independent
 * implementation of the same protocols.
 */
public final class SdkClients implements AutoCloseable {
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;

    public SdkClients(Map<String, String> env) {
        dynamoDb = configure(DynamoDbClient.builder(), env, "AWS_ENDPOINT_URL_DYNAMODB").build();
        sqs = configure(SqsClient.builder(), env, "AWS_ENDPOINT_URL_SQS").build();
        s3 = configure(S3Client.builder(), env, "AWS_ENDPOINT_URL_S3")
                .forcePathStyle(endpoint(env, "AWS_ENDPOINT_URL_S3") != null).build();
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public S3Client s3() {
        return s3;
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(
            B builder, Map<String, String> env, String endpointVariable) {
        builder.region(Region.of(env.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .httpClient(http);
        URI endpoint = endpoint(env, endpointVariable);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    private static URI endpoint(Map<String, String> env, String variable) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            value = env.get("AWS_ENDPOINT_URL");
        }
        return value == null || value.isBlank() ? null : URI.create(value);
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
        s3.close();
        http.close();
    }
}
