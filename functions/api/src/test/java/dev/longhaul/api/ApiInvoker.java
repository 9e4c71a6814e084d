package dev.longhaul.api;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Invokes the API handler the way Lambda does: event bytes in, response bytes out. */
public final class ApiInvoker {
    private final ApiHandler handler;

    public ApiInvoker(ApiHandler handler) {
        this.handler = handler;
    }

    /** A decoded payload 2.0 response. */
    public record Response(int status, Map<String, Object> headers, String body) {
        public String header(String name) {
            Object v = headers.get(name);
            return v == null ? null : v.toString();
        }

        public JsonObject json() {
            return JsonObject.of(Json.parseObject(body));
        }
    }

    public Response invoke(Map<String, Object> event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(event)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonObject response = JsonObject.of(Json.parseObject(out.toString(StandardCharsets.UTF_8)));
        return new Response(response.longValue("statusCode").intValue(), response.object("headers").map(),
                response.string("body"));
    }

    public Response invoke(String eventName) {
        return invoke(SampleEvents.load(eventName));
    }

    public Response invokeForTask(String eventName, String taskId) {
        return invoke(SampleEvents.forTask(eventName, taskId));
    }
}
