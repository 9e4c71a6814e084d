package dev.longhaul.local;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The outcome of one invocation, as Lambda reports it to its caller: the handler's output, or the
 * error type and message of a failure (an exception, a timeout, a failed init).
 */
record Invocation(String requestId, byte[] output, String errorType, String errorMessage, Duration duration) {

    static Invocation success(String requestId, byte[] output, Duration duration) {
        return new Invocation(requestId, output, null, null, duration);
    }

    static Invocation failure(String requestId, String errorType, String errorMessage, Duration duration) {
        return new Invocation(requestId, null, errorType, errorMessage, duration);
    }

    boolean failed() {
        return errorType != null;
    }

    String outputText() {
        return output == null ? "" : new String(output, StandardCharsets.UTF_8);
    }
}
