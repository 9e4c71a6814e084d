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

    /**
     * Posts to the target's checked address ({@link CheckedTarget#socketAddress()}), never to
     * what its host name resolves to now, with TLS verifying the certificate (and sending SNI) for
     * the URL's host name. Never throws for a failed request: the failure is in the response.
     *
     * <p>The default sends nothing: a sender that cannot connect to the checked address must not
     * deliver at all.
     */
    default Response post(CheckedTarget target, Map<String, String> headers, String body) {
        return new Response(null, "this sender cannot connect to a checked address");
    }

    /**
     * @deprecated resolves the host name again when connecting, which lets a rebinding DNS answer
     *     past the guard. Never called; it only keeps {@code HttpWebhookSender} (functions/aws,
     *     no longer wired) compiling until both are deleted.
     */
    @Deprecated(forRemoval = true)
    default Response post(URI target, Map<String, String> headers, String body) {
        return new Response(null, "unpinned sending is not supported");
    }
}
