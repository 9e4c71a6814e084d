package dev.longhaul.worker;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Invokes the worker as Lambda's SQS event source mapping does: a batch event in, the ids of the
 * messages to retry out.
 */
final class WorkerInvoker {
    private final WorkerHandler handler;

    WorkerInvoker(WorkerHandler handler) {
        this.handler = handler;
    }

    /** The message ids reported in {@code batchItemFailures}. */
    @SuppressWarnings("unchecked")
    List<String> invoke(Map<String, Object> event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(event)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> response = Json.parseObject(out.toString(StandardCharsets.UTF_8));
        List<String> ids = new ArrayList<>();
        for (Object failure : (List<Object>) response.get("batchItemFailures")) {
            ids.add((String) ((Map<String, Object>) failure).get("itemIdentifier"));
        }
        return ids;
    }

    /** The event Lambda builds from messages received from SQS. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> eventOf(List<Message> messages) {
        Map<String, Object> event = SampleEvents.sqsBatch(messages.stream().map(Message::body).toList());
        List<Object> records = (List<Object>) event.get("Records");
        for (int i = 0; i < messages.size(); i++) {
            Map<String, Object> record = (Map<String, Object>) records.get(i);
            Message message = messages.get(i);
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            Map<String, Object> attributes = new LinkedHashMap<>();
            message.attributesAsStrings().forEach(attributes::put);
            record.put("attributes", attributes);
        }
        return event;
    }
}
