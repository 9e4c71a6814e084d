package dev.longhaul.core.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The batch contract of Lambda's event source mappings with {@code ReportBatchItemFailures}:
 * read the event's {@code Records}, hand each to the function, answer the records to retry as
 * {@code {"batchItemFailures": [{"itemIdentifier": ...}]}}. Records that are not JSON objects are
 * skipped: no retry would make them readable.
 */
public final class RecordBatch {

    /** One record's outcome. */
    @FunctionalInterface
    public interface RecordHandler {
        /** True when the record is done with (processed or dropped), false to have it retried. */
        boolean handle(JsonObject record);
    }

    private RecordBatch() {
    }

    /** SQS: every message on its own; a failed one is retried by its {@code messageId}. */
    public static void sqs(InputStream input, OutputStream output, RecordHandler handler) throws IOException {
        List<Object> failures = new ArrayList<>();
        for (JsonObject message : records(input)) {
            if (!handler.handle(message)) {
                failures.add(failure(message.string("messageId")));
            }
        }
        answer(output, failures);
    }

    /**
     * DynamoDB streams: records in order; at the first failure the rest of the batch is left
     * unprocessed, since Lambda retries from that record's {@code SequenceNumber} on.
     */
    public static void stream(InputStream input, OutputStream output, RecordHandler handler) throws IOException {
        List<Object> failures = new ArrayList<>();
        for (JsonObject record : records(input)) {
            if (!handler.handle(record)) {
                JsonObject dynamodb = record.object("dynamodb");
                failures.add(failure(dynamodb == null ? null : dynamodb.string("SequenceNumber")));
                break;
            }
        }
        answer(output, failures);
    }

    @SuppressWarnings("unchecked")
    private static List<JsonObject> records(InputStream input) throws IOException {
        Map<String, Object> event = Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        List<JsonObject> records = new ArrayList<>();
        for (Object raw : JsonObject.of(event).list("Records")) {
            if (raw instanceof Map) {
                records.add(JsonObject.of((Map<String, Object>) raw));
            }
        }
        return records;
    }

    private static Map<String, Object> failure(String identifier) {
        return Map.of("itemIdentifier", identifier == null ? "" : identifier);
    }

    private static void answer(OutputStream output, List<Object> failures) throws IOException {
        output.write(Json.write(Map.of("batchItemFailures", failures)).getBytes(StandardCharsets.UTF_8));
    }
}
