package dev.longhaul.maintenance;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.dynamodb.StreamRecords;
import dev.longhaul.aws.dynamodb.TaskItemMapper;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.usecase.CoordinateTasks;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.lambda.RecordBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/**
 * The coordinator Lambda, fed by the tasks table's stream (new and old images): every change of
 * a task goes to {@link CoordinateTasks}, which hands a named queue on when its head finishes,
 * queues or fails the tasks blocked on a task that finished, resumes a parent whose last child
 * finished, cancels or deletes a parent's children, and removes a removed task's links. Each of
 * those is a conditional write, so a record handled twice changes nothing the second time. The
 * sweeper does the same for any change this function missed (see {@code SweepTasks}). A removed
 * task's result object is deleted too ({@link ResultCleanupHandler}): one function reads the
 * stream for both, as AWS advises at most two readers of a stream's shard (the notifier is the other).
 *
 * <p>With {@code ReportBatchItemFailures}, a record that could not be handled is reported by its
 * sequence number and processing stops there: Lambda retries the batch from it.
 */
public final class CoordinatorHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.stdout("coordinator");
    /** Who removes an item when the table's TTL expires it. */
    private static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";
    private final CoordinateTasks coordinate;
    private final ResultCleanupHandler cleanup;

    public CoordinatorHandler() {
        this(System.getenv());
    }

    public CoordinatorHandler(Map<String, String> environment) {
        this(MaintenanceConfig.from(Environment.of(environment)), AwsClients.fromEnvironment(environment));
    }

    /** The Lambda's own wiring on these clients (tests add a call counter to them). */
    public CoordinatorHandler(Map<String, String> environment, AwsClients clients) {
        this(MaintenanceConfig.from(Environment.of(environment)), clients);
    }

    private CoordinatorHandler(MaintenanceConfig config, AwsClients clients) {
        this(new CoordinateTasks(new DynamoDbTaskStore(clients.dynamoDb(), config.tableName()),
                new SqsWorkQueue(clients.sqs(), config.requireQueueUrl()), Clock.systemUTC(), config.resultTtl()),
                new ResultCleanupHandler(new S3ResultStore(clients.s3(), null, config.requireBucket())));
    }

    public CoordinatorHandler(CoordinateTasks coordinate, ResultCleanupHandler cleanup) {
        this.coordinate = coordinate;
        this.cleanup = cleanup;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        LambdaEvents.write(handle(LambdaEvents.read(input, DynamodbEvent.class), context), output);
    }

    /** The typed entry: one batch of stream records; processing stops at the first to retry. */
    public StreamsEventResponse handle(DynamodbEvent event, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        return RecordBatch.stream(event, record -> process(record, requestId));
    }

    /** False when the record must be handled again. */
    private boolean process(DynamodbEvent.DynamodbStreamRecord record, String requestId) {
        return cleanup.deleteResult(record, requestId) && coordinate(record, requestId);
    }

    private boolean coordinate(DynamodbEvent.DynamodbStreamRecord record, String requestId) {
        StreamRecord dynamodb = record.getDynamodb();
        String taskId = StreamRecords.taskId(record);
        if (dynamodb == null || !TaskIds.isWellFormed(taskId) || "INSERT".equals(record.getEventName())) {
            return true; // bookkeeping items, and new tasks: nothing follows from them
        }
        Task before;
        Task after;
        try {
            before = dynamodb.getOldImage() == null ? null
                    : TaskItemMapper.fromItem(StreamRecords.item(dynamodb.getOldImage()));
            after = dynamodb.getNewImage() == null || "REMOVE".equals(record.getEventName()) ? null
                    : TaskItemMapper.fromItem(StreamRecords.item(dynamodb.getNewImage()));
        } catch (RuntimeException e) {
            // retrying cannot fix an image that does not read as a task: skip it, loudly
            LOG.error("stream record is not a task", e, "requestId", requestId, "taskId", taskId);
            return true;
        }
        boolean expired = "REMOVE".equals(record.getEventName()) && record.getUserIdentity() != null
                && TTL_PRINCIPAL.equals(record.getUserIdentity().getPrincipalId());
        try {
            coordinate.onChange(before, after, expired);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("change not coordinated yet; retried", "requestId", requestId, "taskId", taskId,
                    "errorType", e.getClass().getName(), "error", e.getMessage());
            return false;
        }
    }
}
