package dev.longhaul.core.webhook;

import java.net.URI;
import java.util.Map;

/** Sends one delivery: an HTTP POST with a timeout, following no redirect. */
public interface WebhookSender {

    /** What came back: the status, or none when the request failed or timed out. */
    record Response(Integer statusCode, String failure) {
        public boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    /** Never throws for a failed request: the failure is in the response. */
    Response post(URI target, Map<String, String> headers, String body);
}
