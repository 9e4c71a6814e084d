package dev.longhaul.bench.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsMessageVisibility;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.worker.WorkerConfig;
import dev.longhaul.worker.WorkerHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The worker function's logic wired with SDK defaults, as {@link DefaultsApiHandler}. */
public final class DefaultsWorkerHandler implements RequestStreamHandler {
    private final WorkerHandler delegate;

    public DefaultsWorkerHandler() {
        WorkerConfig config = WorkerConfig.from(Environment.of(System.getenv()));
        SqsClient sqs = SqsClient.create();
        delegate = new WorkerHandler(config, BeanTaskStores.create(DynamoDbClient.create(), config.tableName()),
                new S3ResultStore(S3Client.create(), S3Presigner.create(), config.bucket()),
                new SqsMessageVisibility(sqs, config.queueUrl()),
                new SqsWorkQueue(sqs, config.queueUrl()),
                JobRegistry.builtIn(), Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        delegate.handleRequest(input, output, context);
    }
}
