package dev.longhaul.aws.webhook;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.webhook.Delivery;
import dev.longhaul.core.webhook.DeliveryQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The delivery queue: one message per delivery, sent in batches of ten. Retries postpone the
 * received message with {@code ChangeMessageVisibility}; the queue's redrive policy, whose
 * {@code maxReceiveCount} is the number of attempts, moves it to the dead-letter queue after the
 * last one.
 */
public final class SqsDeliveryQueue implements DeliveryQueue {
    private static final int BATCH = 10;
    private static final long MAX_VISIBILITY_SECONDS = 43_200;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDeliveryQueue(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    public static String body(Delivery delivery) {
        return Json.write(delivery.toJson());
    }

    @Override
    public void enqueue(List<Delivery> deliveries) {
        for (int from = 0; from < deliveries.size(); from += BATCH) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(BATCH);
            for (int i = from; i < Math.min(deliveries.size(), from + BATCH); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(body(deliveries.get(i)))
                        .build());
            }
            SendMessageBatchResponse response = sqs.sendMessageBatch(send -> send.queueUrl(queueUrl).entries(entries));
            if (response.hasFailed() && !response.failed().isEmpty()) {
                throw new IllegalStateException(response.failed().size() + " deliveries could not be queued: "
                        + response.failed().get(0).code());
            }
        }
    }

    @Override
    public void postpone(String receipt, Duration delay) {
        int seconds = (int) Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, delay.getSeconds()));
        sqs.changeMessageVisibility(change -> change
                .queueUrl(queueUrl).receiptHandle(receipt).visibilityTimeout(seconds));
    }
}
