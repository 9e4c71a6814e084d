package dev.longhaul.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.longhaul.lambda.testing.LambdaRuntime;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.testing.SampleEvents;
import java.util.Map;

/** Invokes the API handler with what the Lambda runtime makes of an event, as a {@code RequestHandler}. */
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

    /** The event through the Lambda runtime's serializer, the typed handler, and the response back. */
    public Response invoke(Map<String, Object> event) {
        JsonObject response = JsonObject.of(LambdaRuntime.invoke(event, APIGatewayV2HTTPEvent.class, handler::handle));
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
