package dev.longhaul.aws.webhook;

import dev.longhaul.aws.sqs.Sqs;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.webhook.Delivery;
import dev.longhaul.core.webhook.DeliveryQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The delivery queue: one message per delivery, sent in batches of ten. Retries postpone the
 * received message with {@code ChangeMessageVisibility}; the queue's redrive policy, whose
 * {@code maxReceiveCount} is the number of attempts, moves it to the dead-letter queue after the
 * last one.
 */
public final class SqsDeliveryQueue implements DeliveryQueue {
    private static final int BATCH = 10;
    private static final long MAX_VISIBILITY_SECONDS = 43_200;

    private final Sqs sqs;
    private final String queueUrl;

    public SqsDeliveryQueue(Sqs sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    public static String body(Delivery delivery) {
        return Json.write(delivery.toJson());
    }

    @Override
    public void enqueue(List<Delivery> deliveries) {
        for (int from = 0; from < deliveries.size(); from += BATCH) {
            List<Map.Entry<String, String>> entries = new ArrayList<>(BATCH);
            for (int i = from; i < Math.min(deliveries.size(), from + BATCH); i++) {
                entries.add(Map.entry(Integer.toString(i), body(deliveries.get(i))));
            }
            Map<String, String> refused = sqs.sendMessageBatch(queueUrl, entries);
            if (!refused.isEmpty()) {
                throw new IllegalStateException(refused.size() + " deliveries could not be queued: "
                        + refused.values().iterator().next());
            }
        }
    }

    @Override
    public void postpone(String receipt, Duration delay) {
        int seconds = (int) Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, delay.getSeconds()));
        sqs.changeMessageVisibility(queueUrl, receipt, seconds);
    }
}
