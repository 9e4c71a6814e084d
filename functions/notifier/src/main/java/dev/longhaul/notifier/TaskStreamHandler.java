package dev.longhaul.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.TaskItemMapper;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.lambda.RecordBatch;
import dev.longhaul.aws.dynamodb.StreamRecords;
import dev.longhaul.aws.webhook.DynamoDbSubscriptionStore;
import dev.longhaul.aws.webhook.SqsDeliveryQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.webhook.Delivery;
import dev.longhaul.core.webhook.DeliveryQueue;
import dev.longhaul.core.webhook.NotifyTaskFinished;
import dev.longhaul.core.webhook.SubscriptionStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The notifier Lambda, fed by the tasks table's stream (new and old images): on each
 * {@code MODIFY} that takes a task from active to terminal, queues one delivery per matching
 * subscription. Everything else (inserts, TTL and API deletions, bookkeeping items, later
 * changes of finished tasks such as appended notifications) is ignored.
 *
 * <p>With {@code ReportBatchItemFailures}, a record whose deliveries could not be queued is
 * reported by its sequence number and processing stops there: Lambda retries the batch from it,
 * and deliveries queued twice carry the same {@code webhook-id}.
 */
public final class TaskStreamHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.stdout("notifier");
    private final NotifyTaskFinished notify;

    public TaskStreamHandler() {
        this(System.getenv());
    }

    public TaskStreamHandler(Map<String, String> environment) {
        this(NotifierConfig.from(Environment.of(environment)), AwsClients.fromEnvironment(environment));
    }

    private TaskStreamHandler(NotifierConfig config, AwsClients clients) {
        this(new DynamoDbSubscriptionStore(clients.dynamoDb(), config.tableName()),
                new SqsDeliveryQueue(clients.sqs(), config.queueUrl()));
    }

    public TaskStreamHandler(SubscriptionStore subscriptions, DeliveryQueue queue) {
        this.notify = new NotifyTaskFinished(subscriptions, queue);
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

    /** False when the record must be processed again. */
    private boolean process(DynamodbEvent.DynamodbStreamRecord record, String requestId) {
        StreamRecord dynamodb = record.getDynamodb();
        if (!"MODIFY".equals(record.getEventName()) || dynamodb == null) {
            return true;
        }
        String taskId = StreamRecords.taskId(record);
        if (!TaskIds.isWellFormed(taskId)) {
            return true;
        }
        Task before;
        Task after;
        try {
            if (dynamodb.getOldImage() == null || dynamodb.getNewImage() == null) {
                LOG.warn("stream record without both images: is the view NEW_AND_OLD_IMAGES?", "requestId", requestId,
                        "taskId", taskId);
                return true;
            }
            before = TaskItemMapper.fromItem(StreamRecords.item(dynamodb.getOldImage()));
            after = TaskItemMapper.fromItem(StreamRecords.item(dynamodb.getNewImage()));
        } catch (RuntimeException e) {
            // retrying cannot fix an image that does not read as a task: skip it, loudly
            LOG.error("stream record is not a task", e, "requestId", requestId, "taskId", taskId);
            return true;
        }
        try {
            List<Delivery> queued = notify.execute(before, after);
            if (!queued.isEmpty()) {
                LOG.info("deliveries queued", "requestId", requestId, "taskId", taskId,
                        "event", queued.get(0).event().wire(), "deliveries", queued.size());
            }
            return true;
        } catch (RuntimeException e) {
            LOG.error("deliveries could not be queued", e, "requestId", requestId, "taskId", taskId);
            return false;
        }
    }
}
