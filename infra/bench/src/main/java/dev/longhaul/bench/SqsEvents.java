package dev.longhaul.bench;

import dev.longhaul.core.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/** The event Lambda's SQS event source mapping builds from received messages. */
final class SqsEvents {
    private SqsEvents() {
    }

    static String of(List<Message> messages, String queueArn) {
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
        return Json.write(Map.of("Records", records));
    }
}
