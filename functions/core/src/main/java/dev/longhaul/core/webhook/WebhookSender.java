package dev.longhaul.core.webhook;

import java.util.Map;

/** Sends one delivery: an HTTP POST with a timeout, following no redirect. */
public interface WebhookSender {

    /** What came back: the status, or none when the request failed or timed out. */
    record Response(Integer statusCode, String failure) {
        public boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    /**
     * Posts to the target's checked address ({@link CheckedTarget#socketAddress()}), never to
     * what its host name resolves to now, with TLS verifying the certificate (and sending SNI) for
     * the URL's host name. Never throws for a failed request: the failure is in the response.
     */
    Response post(CheckedTarget target, Map<String, String> headers, String body);
}
