package dev.longhaul.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.longhaul.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Handler invocations in this JVM, event text in, decoded response out. */
final class Invocations {
    private Invocations() {
    }

    static Map<String, Object> invoke(RequestStreamHandler handler, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Json.parseObject(out.toString(StandardCharsets.UTF_8));
    }

    /** {@code events/api-create-task.json} with another request body. */
    static String createEvent(Path root, String body) {
        return createEvent(root, body, null);
    }

    /** {@code events/api-create-task.json} with another request body and, unless null, another owner. */
    @SuppressWarnings("unchecked")
    static String createEvent(Path root, String body, String owner) {
        try {
            Map<String, Object> event = new LinkedHashMap<>(Json.parseObject(
                    Files.readString(root.resolve("events/api-create-task.json"), StandardCharsets.UTF_8)));
            event.put("body", body);
            if (owner != null) {
                Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
                Map<String, Object> jwt = (Map<String, Object>) ((Map<String, Object>) context.get("authorizer")).get("jwt");
                Map<String, Object> claims = new LinkedHashMap<>((Map<String, Object>) jwt.get("claims"));
                claims.put("sub", owner);
                Map<String, Object> newJwt = new LinkedHashMap<>(jwt);
                newJwt.put("claims", claims);
                Map<String, Object> newContext = new LinkedHashMap<>(context);
                newContext.put("authorizer", Map.of("jwt", newJwt));
                event.put("requestContext", newContext);
            }
            return Json.write(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id in a 202 response to a create, or an exception naming what came back. */
    static String createdId(Map<String, Object> response) {
        Object status = response.get("statusCode");
        if (!(status instanceof Number number) || number.intValue() != 202) {
            throw new IllegalStateException("create answered " + Json.write(response));
        }
        return (String) Json.parseObject((String) response.get("body")).get("id");
    }
}
