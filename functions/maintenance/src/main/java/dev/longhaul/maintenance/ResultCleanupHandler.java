package dev.longhaul.maintenance;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.json.RecordBatch;
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
        this(new S3ResultStore(clients.s3(), config.requireBucket()));
    }

    public ResultCleanupHandler(ResultStore results) {
        this.results = results;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? null : context.getAwsRequestId();
        RecordBatch.stream(input, output, record -> deleteResult(record, requestId));
    }

    /** False when the record must be retried (and, as a stream's, everything after it). */
    private boolean deleteResult(JsonObject record, String requestId) {
        if (!"REMOVE".equals(record.string("eventName"))) {
            return true;
        }
        JsonObject dynamodb = record.object("dynamodb");
        JsonObject keys = dynamodb == null ? null : dynamodb.object("Keys");
        JsonObject id = keys == null ? null : keys.object("id");
        String taskId = id == null ? null : id.string("S");
        if (!TaskIds.isWellFormed(taskId)) {
            return true;
        }
        JsonObject identity = record.object("userIdentity");
        boolean byTtl = identity != null && TTL_PRINCIPAL.equals(identity.string("principalId"));
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
