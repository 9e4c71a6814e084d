package dev.longhaul.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsMessageVisibility;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming for the worker: before the snapshot, the function's own handler parses an
 * empty batch and builds its real clients (never calling them, so no credentials are resolved), and a twin wired to {@link AwsClients#offline offline} clients runs a whole
 * {@code demo.sleep} task (claim, result upload, finish), marshalled and signed but never sent.
 */
public final class WorkerPriming implements Resource {
    private final WorkerHandler handler;
    private final Map<String, String> environment;

    public WorkerPriming(WorkerHandler handler) {
        this(handler, System.getenv());
    }

    public WorkerPriming(WorkerHandler handler, Map<String, String> environment) {
        this.handler = handler;
        this.environment = environment;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws IOException {
        invoke(handler, new SQSEvent());
        WorkerConfig config = WorkerConfig.from(Environment.of(environment));
        try (AwsClients offline = AwsClients.offline(environment)) {
            WorkerHandler twin = new WorkerHandler(config,
                    new DynamoDbTaskStore(offline.dynamoDb(), config.tableName()),
                    new S3ResultStore(offline.s3(), null, config.bucket()),
                    new SqsMessageVisibility(offline.sqs(), config.queueUrl()),
                    new SqsWorkQueue(offline.sqs(), config.queueUrl()),
                    JobRegistry.builtIn(), Clock.systemUTC());
            invoke(twin, batch());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh
    }

    private static void invoke(WorkerHandler target, SQSEvent event) throws IOException {
        byte[] json = LambdaEvents.write(event).getBytes(StandardCharsets.UTF_8);
        target.handleRequest(new ByteArrayInputStream(json), new ByteArrayOutputStream(), null);
    }

    /** One queued {@code demo.sleep} task of 0 seconds, as the API enqueues it. */
    private static SQSEvent batch() {
        Task task = Task.create("01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2a", "priming", "demo.sleep", "priming",
                Map.of("seconds", 0L, "steps", 1L), Instant.now());
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("priming");
        message.setReceiptHandle("priming");
        message.setBody(Json.write(TaskCodec.toJson(task)));
        message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        message.setEventSource("aws:sqs");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }
}
