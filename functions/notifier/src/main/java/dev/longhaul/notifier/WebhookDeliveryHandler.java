package dev.longhaul.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.lambda.RecordBatch;
import dev.longhaul.aws.webhook.DynamoDbNotificationLog;
import dev.longhaul.aws.webhook.DynamoDbSubscriptionStore;
import dev.longhaul.aws.webhook.SqsDeliveryQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.webhook.AddressTargetGuard;
import dev.longhaul.core.webhook.DeliverWebhook;
import dev.longhaul.core.webhook.Delivery;
import dev.longhaul.core.webhook.DeliveryQueue;
import dev.longhaul.core.webhook.NotificationLog;
import dev.longhaul.core.webhook.RetrySchedule;
import dev.longhaul.core.webhook.SubscriptionStore;
import dev.longhaul.core.webhook.TargetGuard;
import dev.longhaul.core.webhook.WebhookSender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The delivery Lambda, fed by the delivery queue with {@code ReportBatchItemFailures}. Each
 * message is one attempt (its {@code ApproximateReceiveCount} is the attempt number). A failed
 * attempt hides the message for the backoff with {@code ChangeMessageVisibility} and reports it
 * in {@code batchItemFailures}, so Lambda leaves it on the queue; after the last attempt it is
 * reported too, visible at once, and the redrive policy moves it to the dead-letter queue on its
 * next receive.
 */
public final class WebhookDeliveryHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.stdout("webhook-delivery");
    private final DeliverWebhook deliver;
    private final DeliveryQueue queue;

    public WebhookDeliveryHandler() {
        this(System.getenv());
    }

    public WebhookDeliveryHandler(Map<String, String> environment) {
        this(NotifierConfig.from(Environment.of(environment)), AwsClients.fromEnvironment(environment),
                AddressTargetGuard.fromEnvironment(Environment.of(environment)));
    }

    private WebhookDeliveryHandler(NotifierConfig config, AwsClients clients, TargetGuard guard) {
        this(new DynamoDbSubscriptionStore(clients.dynamoDb(), config.tableName()), guard,
                new PinnedWebhookSender(config.timeout()),
                new DynamoDbNotificationLog(clients.dynamoDb(), config.tableName()),
                new SqsDeliveryQueue(clients.sqs(), config.queueUrl()), config.schedule(), Clock.systemUTC());
    }

    public WebhookDeliveryHandler(SubscriptionStore subscriptions, TargetGuard guard, WebhookSender sender,
                                  NotificationLog notifications, DeliveryQueue queue, RetrySchedule schedule,
                                  Clock clock) {
        this.deliver = new DeliverWebhook(subscriptions, guard, sender, notifications, schedule, clock);
        this.queue = queue;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        LambdaEvents.write(handle(LambdaEvents.read(input, SQSEvent.class), context), output);
    }

    /** The typed entry: one batch of deliveries; the ones to keep on the queue are reported. */
    public SQSBatchResponse handle(SQSEvent event, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        return RecordBatch.sqs(event, message -> process(message, requestId));
    }

    /** False when the message must stay on the queue (for a retry, or for the dead-letter queue). */
    private boolean process(SQSEvent.SQSMessage message, String requestId) {
        String messageId = message.getMessageId();
        Delivery delivery;
        try {
            delivery = Delivery.fromJson(Json.parseObject(message.getBody()));
        } catch (RuntimeException e) {
            LOG.error("message is not a delivery", e, "requestId", requestId, "messageId", messageId);
            return false;
        }
        int attempt = receiveCount(message);
        DeliverWebhook.Result result;
        try {
            result = deliver.execute(delivery, attempt);
        } catch (RuntimeException e) {
            // the subscription could not be read: the queue's visibility timeout paces the retry
            LOG.error("delivery failed", e, "requestId", requestId, "taskId", delivery.taskId(),
                    "webhookId", delivery.webhookId(), "attempt", attempt);
            return false;
        }
        LOG.info("delivery attempted", "requestId", requestId, "taskId", delivery.taskId(),
                "webhookId", delivery.webhookId(), "subscriptionId", delivery.subscriptionId(),
                "attempt", attempt, "statusCode", result.statusCode(),
                "outcome", result.outcome().name().toLowerCase(Locale.ROOT), "recorded", result.recorded());
        switch (result.outcome()) {
            case RETRY:
                postpone(message, result.retryIn(), requestId);
                return false;
            case GAVE_UP:
                postpone(message, Duration.ZERO, requestId);
                return false;
            default:
                return true;
        }
    }

    /** SQS's count of receives, this one included: the delivery's attempt number. */
    private static int receiveCount(SQSEvent.SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, Long.parseLong(count)));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private void postpone(SQSEvent.SQSMessage message, Duration delay, String requestId) {
        try {
            queue.postpone(message.getReceiptHandle(), delay);
        } catch (RuntimeException e) {
            // the queue's own visibility timeout applies instead
            LOG.error("could not postpone the delivery", e, "requestId", requestId,
                    "messageId", message.getMessageId());
        }
    }
}
