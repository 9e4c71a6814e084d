package dev.longhaul.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.longhaul.lambda.testing.LambdaRuntime;
import dev.longhaul.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The functions bind their events with jackson-jr ({@link LambdaEvents}); the Lambda Java runtime
 * would bind them with {@code aws-lambda-java-serialization}. Every file in {@code events/} must
 * become the same object both ways, and every response the functions write must read back, through
 * the runtime's serializer, as the object written.
 */
class LambdaEventsTest {

    static Stream<Path> events() throws IOException {
        Path dir = Path.of(System.getProperty("longhaul.events.dir"));
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no events in " + dir);
        return files.stream();
    }

    /** The event type a file in {@code events/} is for, by its name. */
    static Class<?> typeOf(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith("api-")) {
            return APIGatewayV2HTTPEvent.class;
        }
        if (name.startsWith("sqs-")) {
            return SQSEvent.class;
        }
        if (name.startsWith("dynamodb-")) {
            return DynamodbEvent.class;
        }
        if (name.startsWith("schedule-")) {
            return ScheduledEvent.class;
        }
        throw new AssertionError("events/" + name + " has no known event type: name it api-, sqs-, dynamodb- or schedule-");
    }

    @ParameterizedTest
    @MethodSource("events")
    void everySampleEventBindsAsTheLambdaRuntimeBindsIt(Path file) throws IOException {
        String json = Files.readString(file);
        Class<?> type = typeOf(file);
        Object runtime = LambdaRuntime.event(json, type);
        Object ours = LambdaEvents.read(json, type);
        assertEquals(runtime, ours, file.getFileName().toString());
        assertEquals(runtime.toString(), ours.toString());
    }

    @Test
    void aStreamRecordsCreationTimeIsInSecondsAndBinaryAttributesAreBase64() throws IOException {
        String json = """
                {"Records": [{"eventName": "MODIFY", "dynamodb": {"ApproximateCreationDateTime": 1795593605.5,
                  "Keys": {"id": {"S": "x"}}, "NewImage": {"secret": {"B": "AAEC/w=="}, "tags": {"BS": ["AQ=="]},
                  "flag": {"BOOL": true}, "none": {"NULL": true}, "n": {"N": "1.5"}, "l": {"L": [{"S": "a"}]},
                  "m": {"M": {"k": {"SS": ["a", "b"]}}}}}}]}""";
        DynamodbEvent runtime = LambdaRuntime.event(json, DynamodbEvent.class);
        DynamodbEvent ours = LambdaEvents.read(json, DynamodbEvent.class);
        assertEquals(runtime, ours);
        assertEquals(1795593605500L, ours.getRecords().get(0).getDynamodb().getApproximateCreationDateTime().getTime());
        assertEquals(4, ours.getRecords().get(0).getDynamodb().getNewImage().get("secret").getB().remaining());
    }

    @Test
    void responsesReadBackThroughTheRuntimesSerializerAsWritten() throws IOException {
        APIGatewayV2HTTPResponse http = APIGatewayV2HTTPResponse.builder().withStatusCode(202)
                .withHeaders(Map.of("Location", "/v1/tasks/x", "Content-Type", "application/json"))
                .withBody("{\"id\":\"x\"}").withIsBase64Encoded(false).build();
        SQSBatchResponse sqs = new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("m1")));
        StreamsEventResponse stream = new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure("42")));
        for (Object response : List.of(http, sqs, stream, new SQSBatchResponse(List.of()))) {
            String written = LambdaEvents.write(response);
            assertEquals(response, LambdaRuntime.event(written, response.getClass()), written);
            assertEquals(Json.parse(LambdaRuntime.json(response)), Json.parse(written), "the same JSON as the runtime writes");
        }
        String written = LambdaEvents.write(http);
        assertTrue(written.contains("\"isBase64Encoded\":false"), "API Gateway's name for the flag: " + written);
        assertTrue(written.contains("\"statusCode\":202"), written);
    }

    @Test
    void somethingThatIsNotAnEventIsAnIoException() {
        assertThrows(IOException.class, () -> LambdaEvents.read("not an event", SQSEvent.class));
        assertThrows(IOException.class, () -> LambdaEvents.read("{\"Records\": 7}", SQSEvent.class));
    }
}
