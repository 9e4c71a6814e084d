package dev.longhaul.worker;

import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsMessageVisibility;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming for the worker: before the snapshot, the function's own handler parses an
 * empty batch, and a twin wired to {@link AwsClients#offline offline} clients runs a whole
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
        invoke(handler, "{\"Records\":[]}");
        WorkerConfig config = WorkerConfig.from(Environment.of(environment));
        try (AwsClients offline = AwsClients.offline(environment)) {
            WorkerHandler twin = new WorkerHandler(config,
                    new DynamoDbTaskStore(offline.dynamoDb(), config.tableName()),
                    new S3ResultStore(offline.s3(), config.bucket()),
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

    private static void invoke(WorkerHandler target, String event) throws IOException {
        target.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null);
    }

    /** One queued {@code demo.sleep} task of 0 seconds, as the API enqueues it. */
    private static String batch() {
        String now = Instant.now().toString();
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("id", "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2a");
        task.put("owner", "priming");
        task.put("type", "demo.sleep");
        task.put("status", "queued");
        task.put("progress", null);
        task.put("description", "priming");
        task.put("parameters", Map.of("seconds", 0, "steps", 1));
        task.put("createdAt", now);
        task.put("updatedAt", now);
        task.put("attempts", 0);
        task.put("executions", List.of());
        task.put("revision", 1);
        task.put("cancelRequested", false);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", "priming");
        record.put("receiptHandle", "priming");
        record.put("body", Json.write(task));
        record.put("attributes", Map.of("ApproximateReceiveCount", "1"));
        record.put("eventSource", "aws:sqs");
        return Json.write(Map.of("Records", List.of(record)));
    }
}
