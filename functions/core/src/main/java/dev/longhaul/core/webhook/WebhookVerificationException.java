package dev.longhaul.core.webhook;

/** A delivery that must not be trusted: missing headers, a stale timestamp or no matching signature. */
public final class WebhookVerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    public WebhookVerificationException(String message) {
        super(message);
    }
}
