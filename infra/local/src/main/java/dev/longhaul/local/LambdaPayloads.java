package dev.longhaul.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.longhaul.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The events the local cloud delivers, put through {@code aws-lambda-java-serialization}, the
 * serializer the Lambda Java runtime binds {@code aws-lambda-java-events} types with: what the
 * gateway and the event sources build is read as the event type and written back, so a function
 * receives exactly what that type can carry, named as Lambda names it. A field the type does not
 * know is dropped here, as it would be for a typed handler on Lambda, rather than reaching a
 * function that then works locally only.
 */
final class LambdaPayloads {
    private LambdaPayloads() {
    }

    static byte[] http(Object event) {
        return through(APIGatewayV2HTTPEvent.class, event);
    }

    static byte[] sqs(Object event) {
        return through(SQSEvent.class, event);
    }

    static byte[] dynamoDbStream(Object event) {
        return through(DynamodbEvent.class, event);
    }

    static byte[] schedule(Object event) {
        return through(ScheduledEvent.class, event);
    }

    private static <T> byte[] through(Class<T> type, Object event) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, LambdaPayloads.class.getClassLoader());
        String json = event instanceof String text ? text : Json.write(event);
        T typed = serializer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(typed, out);
        return out.toByteArray();
    }
}
