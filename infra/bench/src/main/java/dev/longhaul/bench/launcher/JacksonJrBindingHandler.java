package dev.longhaul.bench.launcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.longhaul.lambda.LambdaEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The event binding the functions use, alone: the HTTP API event read into its
 * {@code aws-lambda-java-events} type with jackson-jr ({@code LambdaEvents}), a constant response
 * written back the same way. Measured against {@link RuntimeSerializerBindingHandler}.
 */
public final class JacksonJrBindingHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        APIGatewayV2HTTPEvent event = LambdaEvents.read(input, APIGatewayV2HTTPEvent.class);
        LambdaEvents.write(APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withBody(event.getRawPath()).build(), output);
    }
}
