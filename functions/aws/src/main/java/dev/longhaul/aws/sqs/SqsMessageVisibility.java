package dev.longhaul.aws.sqs;

import dev.longhaul.core.port.MessageVisibility;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Hides a received message for a while: longer while its task runs (the heartbeat), or for the
 * backoff before its next attempt.
 */
public final class SqsMessageVisibility implements MessageVisibility {
    /** SQS's longest visibility timeout. */
    public static final Duration MAX = Duration.ofHours(12);
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsMessageVisibility(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public void hide(String receiptHandle, Duration duration) {
        long seconds = Math.max(0, Math.min(MAX.getSeconds(), duration.getSeconds()));
        sqs.changeMessageVisibility(change -> change
                .queueUrl(queueUrl)
                .receiptHandle(receiptHandle)
                .visibilityTimeout((int) seconds));
    }
}
