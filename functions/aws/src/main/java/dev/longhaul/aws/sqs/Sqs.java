package dev.longhaul.aws.sqs;

import dev.longhaul.aws.client.AwsResponse;
import dev.longhaul.aws.client.AwsServiceException;
import dev.longhaul.aws.client.ServiceClient;
import dev.longhaul.aws.client.Transport;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The SQS operations Longhaul sends, over SQS's JSON protocol ({@code AmazonSQS.<Operation>}). */
public final class Sqs {
    private final ServiceClient client;
    private final URI endpoint;

    public Sqs(ServiceClient client, URI endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    /** Where requests go. */
    public URI endpoint() {
        return endpoint;
    }

    /** @return the message id */
    public String sendMessage(String queueUrl, String body) {
        return String.valueOf(call("SendMessage", Map.of("QueueUrl", queueUrl, "MessageBody", body)).get("MessageId"));
    }

    /**
     * Sends up to ten messages in one call.
     *
     * @return the entries SQS refused, as {@code id -> error code}; empty when all were queued
     */
    @SuppressWarnings("unchecked")
    public Map<String, String> sendMessageBatch(String queueUrl, List<Map.Entry<String, String>> idsAndBodies) {
        List<Object> entries = new ArrayList<>(idsAndBodies.size());
        for (Map.Entry<String, String> entry : idsAndBodies) {
            entries.add(Map.of("Id", entry.getKey(), "MessageBody", entry.getValue()));
        }
        Map<String, Object> response = call("SendMessageBatch", Map.of("QueueUrl", queueUrl, "Entries", entries));
        Object failed = response.get("Failed");
        if (!(failed instanceof List) || ((List<Object>) failed).isEmpty()) {
            return Map.of();
        }
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        for (Object f : (List<Object>) failed) {
            Map<String, Object> entry = (Map<String, Object>) f;
            refused.put(String.valueOf(entry.get("Id")), String.valueOf(entry.get("Code")));
        }
        return refused;
    }

    public void changeMessageVisibility(String queueUrl, String receiptHandle, int visibilityTimeoutSeconds) {
        call("ChangeMessageVisibility", Map.of("QueueUrl", queueUrl, "ReceiptHandle", receiptHandle,
                "VisibilityTimeout", visibilityTimeoutSeconds));
    }

    private Map<String, Object> call(String operation, Map<String, Object> request) {
        byte[] body = Json.write(request).getBytes(StandardCharsets.UTF_8);
        AwsResponse response = client.execute(operation, "POST", endpoint, Map.of(
                "Content-Type", "application/x-amz-json-1.0",
                "X-Amz-Target", "AmazonSQS." + operation), Transport.Body.of(body));
        return response.body().length == 0 ? Map.of() : Json.parseObject(response.text());
    }

    /** SQS's JSON errors: {@code __type} ({@code com.amazonaws.sqs#QueueDoesNotExist}) and {@code message}. */
    public static AwsServiceException error(String operation, AwsResponse response) {
        if (response.ok()) {
            return null;
        }
        Map<String, Object> json;
        try {
            json = response.body().length == 0 ? Map.of() : Json.parseObject(response.text());
        } catch (JsonException | ClassCastException e) {
            json = Map.of();
        }
        Object type = json.get("__type");
        String code;
        if (type != null) {
            String text = String.valueOf(type);
            code = text.substring(text.lastIndexOf('#') + 1);
        } else {
            code = "Http" + response.status();
        }
        Object message = json.get("message") != null ? json.get("message") : json.get("Message");
        return new AwsServiceException("Sqs", operation, response.status(), code,
                message == null ? null : String.valueOf(message));
    }
}
