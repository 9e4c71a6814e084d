package dev.longhaul.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.longhaul.lambda.testing.LambdaRuntime;
import dev.longhaul.aws.testing.StreamEvents;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.testing.SampleEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What Lambda's event source mappings do, done by hand so tests control each step: the table's
 * real stream (DynamoDB Local) read into a stream event, and the delivery queue (ElasticMQ)
 * received into an SQS event, with the messages not reported in {@code batchItemFailures} deleted.
 */
final class EventSources {
    private final TestCloud cloud;

    EventSources(TestCloud cloud) {
        this.cloud = cloud;
    }

    String webhookQueueUrl() {
        return cloud.stack().physicalId("WebhookDeliveryQueue");
    }

    String webhookDeadLetterQueueUrl() {
        return cloud.stack().physicalId("WebhookDeadLetterQueue");
    }

    void purgeWebhookQueues() {
        cloud.clients().sqs().purgeQueue(p -> p.queueUrl(webhookQueueUrl()));
        cloud.clients().sqs().purgeQueue(p -> p.queueUrl(webhookDeadLetterQueueUrl()));
    }

    /** Every stream record so far about these items, oldest first, as Lambda's stream event. */
    Map<String, Object> streamEvent(Set<String> itemIds) {
        return StreamEvents.of(cloud.streamRecords(itemIds));
    }

    /** Receives up to 10 deliveries, invokes the handler with them, deletes the successful ones. */
    List<String> pumpDeliveries(WebhookDeliveryHandler handler) {
        List<Message> messages = cloud.clients().sqs().receiveMessage(r -> r.queueUrl(webhookQueueUrl())
                .maxNumberOfMessages(10).messageSystemAttributeNamesWithStrings("All").waitTimeSeconds(0)).messages();
        if (messages.isEmpty()) {
            return List.of();
        }
        Map<String, Object> event = SampleEvents.load("sqs-webhook-delivery-batch.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) ((List<Object>) event.get("Records")).get(0);
        List<Object> records = new ArrayList<>();
        for (Message m : messages) {
            Map<String, Object> record = new LinkedHashMap<>(template);
            record.put("messageId", m.messageId());
            record.put("receiptHandle", m.receiptHandle());
            record.put("body", m.body());
            record.put("attributes", new LinkedHashMap<>(m.attributesAsStrings()));
            records.add(record);
        }
        event.put("Records", records);
        List<String> failed = failures(invoke(handler, event));
        for (Message m : messages) {
            if (!failed.contains(m.messageId())) {
                cloud.clients().sqs().deleteMessage(d -> d.queueUrl(webhookQueueUrl()).receiptHandle(m.receiptHandle()));
            }
        }
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> ids.add(m.messageId()));
        return ids;
    }

    /** A stream batch through the Lambda runtime's serializer to the notifier, its answer back. */
    static Map<String, Object> invoke(TaskStreamHandler handler, Map<String, Object> event) {
        return LambdaRuntime.invoke(event, DynamodbEvent.class, e -> handler.handle(e, null));
    }

    /** An SQS batch through the Lambda runtime's serializer to the delivery function, its answer back. */
    static Map<String, Object> invoke(WebhookDeliveryHandler handler, Map<String, Object> event) {
        return LambdaRuntime.invoke(event, SQSEvent.class, e -> handler.handle(e, null));
    }

    @SuppressWarnings("unchecked")
    static List<String> failures(Map<String, Object> response) {
        List<String> ids = new ArrayList<>();
        for (Object f : (List<Object>) response.get("batchItemFailures")) {
            ids.add((String) ((Map<String, Object>) f).get("itemIdentifier"));
        }
        return ids;
    }
}
