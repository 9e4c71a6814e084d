package dev.longhaul.emulators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The event Lambda's SQS event source mapping builds from messages it received, for the tests
 * and the benchmark harness that play the mapping.
 */
public final class SqsEvents {
    public static final String DEFAULT_QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:work";

    private SqsEvents() {
    }

    public static Map<String, Object> of(List<Message> messages) {
        return of(messages, DEFAULT_QUEUE_ARN);
    }

    public static Map<String, Object> of(List<Message> messages, String queueArn) {
        List<Object> records = new ArrayList<>();
        for (Message message : messages) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            record.put("attributes", new LinkedHashMap<>(message.attributesAsStrings()));
            record.put("messageAttributes", Map.of());
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", "us-east-1");
            records.add(record);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("Records", records);
        return event;
    }
}
