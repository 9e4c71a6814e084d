package dev.longhaul.bench.launcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The floor: a handler that reads its event and returns a constant, with no dependencies at all. */
public final class ConstantHandler implements RequestStreamHandler {
    private static final byte[] RESPONSE = "{\"statusCode\":200,\"body\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
        input.readAllBytes();
        output.write(RESPONSE);
    }
}
