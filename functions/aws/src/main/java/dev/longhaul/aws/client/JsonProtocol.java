package dev.longhaul.aws.client;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The AWS JSON protocol that DynamoDB and SQS share: a POST of the operation's JSON document to
 * the endpoint, named by {@code X-Amz-Target: <prefix><Operation>}, a JSON answer, and errors as
 * {@code {"__type": "...#Code", "message": "..."}}.
 */
public final class JsonProtocol {
    private final ServiceClient client;
    private final URI endpoint;
    private final String targetPrefix;

    /** @param targetPrefix what precedes the operation in {@code X-Amz-Target} ({@code DynamoDB_20120810.}) */
    public JsonProtocol(ServiceClient client, URI endpoint, String targetPrefix) {
        this.client = client;
        this.endpoint = endpoint;
        this.targetPrefix = targetPrefix;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Sends one operation; the answer's JSON, empty for an empty body. */
    public Map<String, Object> call(String operation, Map<String, Object> request) {
        byte[] body = Json.write(request).getBytes(StandardCharsets.UTF_8);
        AwsResponse response = client.execute(operation, "POST", endpoint, Map.of(
                "Content-Type", "application/x-amz-json-1.0",
                "X-Amz-Target", targetPrefix + operation), Transport.Body.of(body));
        return response.body().length == 0 ? Map.of() : Json.parseObject(response.text());
    }

    /** An error answer's JSON, empty when the body is empty or not a JSON object. */
    public static Map<String, Object> errorBody(AwsResponse response) {
        try {
            return response.body().length == 0 ? Map.of() : Json.parseObject(response.text());
        } catch (JsonException | ClassCastException e) {
            return Map.of();
        }
    }

    /** The code after the {@code #} of {@code __type}, else the error-type header, else {@code Http<status>}. */
    public static String errorCode(Map<String, Object> json, AwsResponse response) {
        Object type = json.get("__type");
        if (type == null) {
            type = json.get("code");
        }
        if (type != null) {
            String text = String.valueOf(type);
            return text.substring(text.lastIndexOf('#') + 1);
        }
        String header = response.header("x-amzn-ErrorType");
        if (header != null) {
            int colon = header.indexOf(':');
            return colon < 0 ? header : header.substring(0, colon);
        }
        return "Http" + response.status();
    }

    /** The service's message ({@code message} or {@code Message}), or null. */
    public static String errorMessage(Map<String, Object> json) {
        Object message = json.get("message") != null ? json.get("message") : json.get("Message");
        return message == null ? null : String.valueOf(message);
    }
}
