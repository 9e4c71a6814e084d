package dev.longhaul.bench.launcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The event binding a {@code RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>} gets
 * from the Lambda Java runtime, alone: {@code aws-lambda-java-serialization} reads the event and
 * writes the response, as the runtime does around such a handler.
 */
public final class RuntimeSerializerBindingHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ClassLoader loader = RuntimeSerializerBindingHandler.class.getClassLoader();
        APIGatewayV2HTTPEvent event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, loader)
                .fromJson(input);
        LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, loader).toJson(
                APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody(event.getRawPath()).build(), output);
    }
}
