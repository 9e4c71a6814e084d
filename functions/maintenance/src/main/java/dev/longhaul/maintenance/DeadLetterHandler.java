package dev.longhaul.maintenance;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.lambda.RecordBatch;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.usecase.FailUndeliverable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/**
 * Consumes the work queue's dead-letter queue: the task of every message SQS gave up on is
 * failed with the reason, so no task stays queued forever. Messages that are not tasks are
 * logged and dropped (their count shows in the queue's metrics).
 */
public final class DeadLetterHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.stdout("dead-letters");
    private final FailUndeliverable failUndeliverable;

    public DeadLetterHandler() {
        this(System.getenv());
    }

    public DeadLetterHandler(Map<String, String> environment) {
        this(MaintenanceConfig.from(Environment.of(environment)), AwsClients.fromEnvironment(environment));
    }

    private DeadLetterHandler(MaintenanceConfig config, AwsClients clients) {
        this(new FailUndeliverable(new DynamoDbTaskStore(clients.dynamoDb(), config.tableName()),
                Clock.systemUTC(), config.resultTtl()));
    }

    public DeadLetterHandler(FailUndeliverable failUndeliverable) {
        this.failUndeliverable = failUndeliverable;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        LambdaEvents.write(handle(LambdaEvents.read(input, SQSEvent.class), context), output);
    }

    /** The typed entry: one batch of dead letters; the ones to retry are reported. */
    public SQSBatchResponse handle(SQSEvent event, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        return RecordBatch.sqs(event, message -> settle(message, requestId));
    }

    /** False when the dead letter must be retried. */
    private boolean settle(SQSEvent.SQSMessage message, String requestId) {
        String taskId;
        try {
            taskId = TaskCodec.fromJson(Json.parseObject(message.getBody())).id();
        } catch (RuntimeException e) {
            LOG.warn("dead letter is not a task; dropped", "requestId", requestId,
                    "messageId", message.getMessageId());
            return true;
        }
        try {
            boolean finished = failUndeliverable.execute(taskId);
            LOG.info(finished ? "dead-lettered task settled" : "dead-lettered task still running; left to its worker",
                    "requestId", requestId, "taskId", taskId);
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not settle a dead-lettered task", e, "requestId", requestId, "taskId", taskId);
            return false;
        }
    }
}
