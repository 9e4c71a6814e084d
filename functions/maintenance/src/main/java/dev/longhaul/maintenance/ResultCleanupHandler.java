package dev.longhaul.maintenance;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.lambda.RecordBatch;
import dev.longhaul.aws.dynamodb.StreamRecords;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.task.TaskIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Fed by the tasks table's stream: when a task item is removed (DynamoDB TTL expiring it, or a
 * delete), its result object is deleted at once. The bucket's lifecycle rule stays only as a
 * backstop.
 */
public final class ResultCleanupHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.stdout("result-cleanup");
    private static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";
    private final ResultStore results;

    public ResultCleanupHandler() {
        this(System.getenv());
    }

    public ResultCleanupHandler(Map<String, String> environment) {
        this(MaintenanceConfig.from(Environment.of(environment)), AwsClients.fromEnvironment(environment));
    }

    private ResultCleanupHandler(MaintenanceConfig config, AwsClients clients) {
        this(new S3ResultStore(clients.s3(), null, config.requireBucket()));
    }

    public ResultCleanupHandler(ResultStore results) {
        this.results = results;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        LambdaEvents.write(handle(LambdaEvents.read(input, DynamodbEvent.class), context), output);
    }

    /** The typed entry: one batch of stream records; processing stops at the first to retry. */
    public StreamsEventResponse handle(DynamodbEvent event, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        return RecordBatch.stream(event, record -> deleteResult(record, requestId));
    }

    /** False when the record must be retried (and, as a stream's, everything after it). */
    boolean deleteResult(DynamodbEvent.DynamodbStreamRecord record, String requestId) {
        if (!"REMOVE".equals(record.getEventName())) {
            return true;
        }
        String taskId = StreamRecords.taskId(record);
        if (!TaskIds.isWellFormed(taskId)) {
            return true;
        }
        boolean byTtl = record.getUserIdentity() != null
                && TTL_PRINCIPAL.equals(record.getUserIdentity().getPrincipalId());
        try {
            results.delete(taskId);
            LOG.info(byTtl ? "expired task's result deleted" : "deleted task's result deleted",
                    "requestId", requestId, "taskId", taskId);
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not delete a result", e, "requestId", requestId, "taskId", taskId);
            return false;
        }
    }
}
