package dev.longhaul.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch contract of Lambda's event source mappings with {@code ReportBatchItemFailures}: hand
 * each record to the function, answer the ones to retry in {@code batchItemFailures}.
 */
public final class RecordBatch {

    /** One record's outcome. */
    @FunctionalInterface
    public interface RecordHandler<R> {
        /** True when the record is done with (processed or dropped), false to have it retried. */
        boolean handle(R record);
    }

    private RecordBatch() {
    }

    /** SQS: every message on its own; a failed one is retried by its {@code messageId}. */
    public static SQSBatchResponse sqs(SQSEvent event, RecordHandler<SQSEvent.SQSMessage> handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : records(event.getRecords())) {
            if (!handler.handle(message)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /**
     * DynamoDB streams: records in order; at the first failure the rest of the batch is left
     * unprocessed, since Lambda retries from that record's {@code SequenceNumber} on.
     */
    public static StreamsEventResponse stream(DynamodbEvent event,
                                              RecordHandler<DynamodbEvent.DynamodbStreamRecord> handler) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : records(event.getRecords())) {
            if (!handler.handle(record)) {
                String sequence = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
                failures.add(new StreamsEventResponse.BatchItemFailure(sequence == null ? "" : sequence));
                break;
            }
        }
        return new StreamsEventResponse(failures);
    }

    private static <R> List<R> records(List<R> records) {
        return records == null ? List.of() : records;
    }
}
