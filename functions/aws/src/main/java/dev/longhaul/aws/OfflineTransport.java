package dev.longhaul.aws;

import dev.longhaul.aws.client.AwsResponse;
import dev.longhaul.aws.client.Transport;
import dev.longhaul.core.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A transport that sends nothing: it answers 200 with an empty JSON object for the JSON
 * protocols, an upload id to a multipart upload and an empty body otherwise. SendMessage gets a
 * message id back.
 */
final class OfflineTransport implements Transport {

    @Override
    public AwsResponse send(String method, URI uri, Map<String, String> headers, Body body) {
        String target = null;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("X-Amz-Target")) {
                target = header.getValue();
            }
        }
        String answer;
        if (target != null) {
            answer = target.endsWith(".SendMessage") ? Json.write(Map.of("MessageId", "offline")) : "{}";
        } else {
            String query = uri.getRawQuery();
            answer = query != null && query.startsWith("uploads")
                    ? "<InitiateMultipartUploadResult><UploadId>offline</UploadId></InitiateMultipartUploadResult>" : "";
        }
        return new AwsResponse(200, Map.of(
                "content-type", List.of(target == null ? "application/xml" : "application/x-amz-json-1.0"),
                "etag", List.of("\"offline\"")), answer.getBytes(StandardCharsets.UTF_8));
    }
}
