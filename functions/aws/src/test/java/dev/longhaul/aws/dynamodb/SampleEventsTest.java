package dev.longhaul.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.longhaul.lambda.testing.LambdaRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The files in {@code events/} are what AWS sends, checked as far as the rules can be written
 * down: an SQS record's {@code md5OfBody} is its body's MD5, a stream image of a task is the whole
 * item as the table stores it (so a test on it sees the attributes a real one carries, the sweep
 * index's included), and every API event carries the JWT authorizer's claims, as the template's
 * default authorizer guarantees.
 */
class SampleEventsTest {

    static Stream<Path> events(String prefix) throws IOException {
        Path dir = Path.of(System.getProperty("longhaul.events.dir"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matching = files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
            assertFalse(matching.isEmpty(), "no " + prefix + "* events in " + dir);
            return matching.stream();
        }
    }

    static Stream<Path> sqsEvents() throws IOException {
        return events("sqs-");
    }

    static Stream<Path> streamEvents() throws IOException {
        return events("dynamodb-");
    }

    static Stream<Path> apiEvents() throws IOException {
        return events("api-");
    }

    @ParameterizedTest
    @MethodSource("sqsEvents")
    void everySqsRecordCarriesTheMd5OfItsBody(Path file) throws IOException {
        SQSEvent event = LambdaRuntime.event(Files.readString(file), SQSEvent.class);
        assertFalse(event.getRecords().isEmpty(), file.toString());
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            assertEquals(md5(message.getBody()), message.getMd5OfBody(), file + " " + message.getMessageId());
        }
    }

    @ParameterizedTest
    @MethodSource("streamEvents")
    void everyTaskImageIsTheWholeItemAsTheTableStoresIt(Path file) throws IOException {
        DynamodbEvent event = LambdaRuntime.event(Files.readString(file), DynamodbEvent.class);
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            for (Map<String, AttributeValue> image : new Map[] {
                    record.getDynamodb().getOldImage(), record.getDynamodb().getNewImage()}) {
                if (image == null || !image.containsKey(TaskItemMapper.OWNER) || !image.containsKey("type")) {
                    continue; // no image, or a bookkeeping item (an owner's counter, a subscription)
                }
                var item = StreamRecords.item(image);
                // the task's own writes never carry the attributes other writes keep on its item (its
                // dependents, its children counts, its notifications): those are compared apart from it
                var own = new java.util.HashMap<>(item);
                own.keySet().removeAll(TaskItemMapper.SIDE_ATTRIBUTES);
                var stored = new java.util.HashMap<>(TaskItemMapper.toItem(TaskItemMapper.fromItem(item)));
                stored.keySet().removeAll(TaskItemMapper.SIDE_ATTRIBUTES);
                assertEquals(stored, own,
                        file.getFileName() + " " + record.getEventID() + ": not the item the table would store");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("apiEvents")
    void everyApiEventCarriesTheAuthorizersClaims(Path file) throws IOException {
        APIGatewayV2HTTPEvent event = LambdaRuntime.event(Files.readString(file), APIGatewayV2HTTPEvent.class);
        assertNotNull(event.getRequestContext().getAuthorizer(), file + ": the default JWT authorizer always adds its context");
        assertNotNull(event.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub"), file.toString());
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
