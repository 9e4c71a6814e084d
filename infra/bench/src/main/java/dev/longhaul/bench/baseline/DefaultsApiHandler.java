package dev.longhaul.bench.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.longhaul.api.ApiConfig;
import dev.longhaul.api.ApiHandler;
import dev.longhaul.aws.dynamodb.DynamoDbSecretKeys;
import dev.longhaul.aws.kms.KmsEnvelope;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The API function's logic wired with SDK defaults: {@code create()} clients (default region
 * and credential chains, the Apache HTTP client found on the classpath, endpoints from the
 * standard variables) and bean-mapped DynamoDB access.
 */
public final class DefaultsApiHandler implements RequestStreamHandler {
    private final ApiHandler delegate;

    public DefaultsApiHandler() {
        ApiConfig config = ApiConfig.from(Environment.of(System.getenv()));
        DynamoDbClient dynamoDb = DynamoDbClient.create();
        delegate = new ApiHandler(config, BeanTaskStores.create(dynamoDb, config.tableName()),
                new SqsWorkQueue(SqsClient.create(), config.queueUrl()),
                new S3ResultStore(S3Client.create(), S3Presigner.create(), config.bucket()),
                new DynamoDbSecretKeys(dynamoDb, config.tableName(),
                        new KmsEnvelope(KmsClient::create, config.secretsKeyArn(), config.tableName())),
                JobRegistry.builtIn(), Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        delegate.handleRequest(input, output, context);
    }
}
