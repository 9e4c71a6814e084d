package dev.longhaul.core.webhook;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a received delivery: the Standard Webhooks verifier that receivers can copy and that
 * Longhaul's own tests use. It needs only the JDK.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.create(System.getenv("LONGHAUL_WEBHOOK_SECRET"));
 * verifier.verify(headers, body); // throws WebhookVerificationException when not authentic
 * }</pre>
 *
 * The timestamp must be within the tolerance (5 minutes by default) of the receiver's clock, so a
 * captured delivery cannot be replayed later; the signature header may carry several
 * space-separated signatures (during a secret rotation) and one matching {@code v1} is enough.
 * Verify the raw body bytes as received, before any JSON parsing.
 */
public final class WebhookVerifier {
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final WebhookSigner signer;
    private final Clock clock;
    private final Duration tolerance;

    public WebhookVerifier(String secret, Clock clock, Duration tolerance) {
        this.signer = new WebhookSigner(secret);
        this.clock = clock;
        this.tolerance = tolerance;
    }

    public static WebhookVerifier create(String secret) {
        return new WebhookVerifier(secret, Clock.systemUTC(), DEFAULT_TOLERANCE);
    }

    /** Verifies with the three headers looked up case-insensitively in {@code headers}. */
    public void verify(Map<String, String> headers, String body) throws WebhookVerificationException {
        verify(header(headers, WebhookSigner.ID_HEADER), header(headers, WebhookSigner.TIMESTAMP_HEADER),
                header(headers, WebhookSigner.SIGNATURE_HEADER), body);
    }

    public void verify(String webhookId, String timestamp, String signatures, String body)
            throws WebhookVerificationException {
        if (webhookId == null || timestamp == null || signatures == null || body == null) {
            throw new WebhookVerificationException("missing webhook headers or body");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("malformed webhook-timestamp");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > tolerance.getSeconds()) {
            throw new WebhookVerificationException("webhook-timestamp outside the tolerance");
        }
        byte[] expected = signer.mac(webhookId, seconds, body);
        for (String candidate : signatures.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return;
            }
        }
        throw new WebhookVerificationException("no matching signature");
    }

    private static String header(Map<String, String> headers, String name) {
        String value = headers.get(name);
        if (value != null) {
            return value;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
