package dev.longhaul.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordBatchTest {

    private static final String SQS = """
            {"Records": [{"messageId": "m1"}, "not an object", {"messageId": "m2"}, {"messageId": "m3"}]}""";
    private static final String STREAM = """
            {"Records": [{"dynamodb": {"SequenceNumber": "100"}}, {"dynamodb": {"SequenceNumber": "200"}},
                         {"dynamodb": {"SequenceNumber": "300"}}]}""";

    @Test
    void sqsRetriesEachFailedMessageAndSkipsRecordsThatAreNotObjects() throws IOException {
        List<String> seen = new ArrayList<>();
        String answer = run(SQS, true, record -> {
            seen.add(record.string("messageId"));
            return !Set.of("m1", "m3").contains(record.string("messageId"));
        });
        assertEquals(List.of("m1", "m2", "m3"), seen);
        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"},{\"itemIdentifier\":\"m3\"}]}", answer);
    }

    @Test
    void aStreamStopsAtItsFirstFailureWhichLambdaRetriesFrom() throws IOException {
        List<String> seen = new ArrayList<>();
        String answer = run(STREAM, false, record -> {
            String sequence = record.object("dynamodb").string("SequenceNumber");
            seen.add(sequence);
            return !sequence.equals("200");
        });
        assertEquals(List.of("100", "200"), seen, "nothing after the failure is processed");
        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"200\"}]}", answer);
    }

    @Test
    void aBatchWithNoFailuresAnswersAnEmptyList() throws IOException {
        assertEquals("{\"batchItemFailures\":[]}", run(STREAM, false, record -> true));
        assertEquals("{\"batchItemFailures\":[]}", run("{}", true, record -> false));
    }

    private static String run(String event, boolean sqs, RecordBatch.RecordHandler handler) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayInputStream in = new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8));
        if (sqs) {
            RecordBatch.sqs(in, out, handler);
        } else {
            RecordBatch.stream(in, out, handler);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
