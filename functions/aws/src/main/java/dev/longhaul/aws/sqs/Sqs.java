package dev.longhaul.aws.sqs;

import dev.longhaul.aws.client.AwsResponse;
import dev.longhaul.aws.client.AwsServiceException;
import dev.longhaul.aws.client.JsonProtocol;
import dev.longhaul.aws.client.ServiceClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SQS operations Longhaul sends, over SQS's JSON protocol ({@code AmazonSQS.<Operation>}). */
public final class Sqs {
    private final JsonProtocol protocol;

    public Sqs(ServiceClient client, URI endpoint) {
        this.protocol = new JsonProtocol(client, endpoint, "AmazonSQS.");
    }

    /** Where requests go. */
    public URI endpoint() {
        return protocol.endpoint();
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
        Map<String, String> refused = new LinkedHashMap<>();
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
        return protocol.call(operation, request);
    }

    /** SQS's JSON errors: {@code __type} ({@code com.amazonaws.sqs#QueueDoesNotExist}) and {@code message}. */
    public static AwsServiceException error(String operation, AwsResponse response) {
        if (response.ok()) {
            return null;
        }
        Map<String, Object> json = JsonProtocol.errorBody(response);
        return new AwsServiceException("Sqs", operation, response.status(), JsonProtocol.errorCode(json, response),
                JsonProtocol.errorMessage(json));
    }
}
