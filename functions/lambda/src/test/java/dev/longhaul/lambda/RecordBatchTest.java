package dev.longhaul.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.longhaul.lambda.testing.LambdaRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Mock tier: the batch contract on events as the Lambda runtime reads them, answers as it writes them. */
class RecordBatchTest {

    private static final String SQS = """
            {"Records": [{"messageId": "m1"}, {"messageId": "m2"}, {"messageId": "m3"}]}""";
    private static final String STREAM = """
            {"Records": [{"dynamodb": {"SequenceNumber": "100"}}, {"dynamodb": {"SequenceNumber": "200"}},
                         {"dynamodb": {"SequenceNumber": "300"}}]}""";

    @Test
    void sqsRetriesEachFailedMessage() {
        List<String> seen = new ArrayList<>();
        Object answer = RecordBatch.sqs(LambdaRuntime.event(SQS, SQSEvent.class), message -> {
            seen.add(message.getMessageId());
            return !Set.of("m1", "m3").contains(message.getMessageId());
        });
        assertEquals(List.of("m1", "m2", "m3"), seen);
        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"},{\"itemIdentifier\":\"m3\"}]}",
                LambdaRuntime.json(answer));
    }

    @Test
    void aStreamStopsAtItsFirstFailureWhichLambdaRetriesFrom() {
        List<String> seen = new ArrayList<>();
        Object answer = RecordBatch.stream(LambdaRuntime.event(STREAM, DynamodbEvent.class), record -> {
            String sequence = record.getDynamodb().getSequenceNumber();
            seen.add(sequence);
            return !sequence.equals("200");
        });
        assertEquals(List.of("100", "200"), seen, "nothing after the failure is processed");
        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"200\"}]}", LambdaRuntime.json(answer));
    }

    @Test
    void aBatchWithNoFailuresOrNoRecordsAnswersAnEmptyList() {
        assertEquals("{\"batchItemFailures\":[]}",
                LambdaRuntime.json(RecordBatch.stream(LambdaRuntime.event(STREAM, DynamodbEvent.class), r -> true)));
        assertEquals("{\"batchItemFailures\":[]}",
                LambdaRuntime.json(RecordBatch.sqs(LambdaRuntime.event("{}", SQSEvent.class), m -> false)));
    }
}
