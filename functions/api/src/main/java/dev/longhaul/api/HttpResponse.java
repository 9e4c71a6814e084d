package dev.longhaul.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.longhaul.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response in the shape API Gateway HTTP API expects back from a payload 2.0 integration. */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    public static HttpResponse json(int status, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(status, headers, Json.write(body));
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, more, body);
    }

    public APIGatewayV2HTTPResponse toEvent() {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body == null ? "" : body)
                .withIsBase64Encoded(false)
                .build();
    }
}
