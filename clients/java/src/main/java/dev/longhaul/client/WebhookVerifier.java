package dev.longhaul.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook delivery comes from Longhaul, unaltered and recent (Standard Webhooks):
 * the {@code webhook-signature} holds {@code v1,<base64 HMAC-SHA256>} of {@code
 * <webhook-id>.<webhook-timestamp>.<raw body>}, keyed with the bytes of the secret after {@code
 * whsec_}, and the timestamp is within the tolerance (5 minutes) of this clock, so a captured
 * delivery cannot be replayed later. Verify the raw body as received, before parsing it.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.create(System.getenv("LONGHAUL_WEBHOOK_SECRET"));
 * try {
 *     verifier.verify(headers, rawBody); // header names in any case
 * } catch (WebhookVerificationException e) {
 *     return 400; // not from Longhaul, tampered with, or replayed
 * }
 * }</pre>
 */
public final class WebhookVerifier {
    public static final String SECRET_PREFIX = "whsec_";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration tolerance;

    public WebhookVerifier(String secret, Clock clock, Duration tolerance) {
        this.key = new SecretKeySpec(keyBytes(secret), "HmacSHA256");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    }

    /** A verifier for the secret ({@code whsec_...}) the subscription answered, on the system clock. */
    public static WebhookVerifier create(String secret) {
        return new WebhookVerifier(secret, Clock.systemUTC(), DEFAULT_TOLERANCE);
    }

    /** Verifies with {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} looked up in any case. */
    public void verify(Map<String, String> headers, String body) throws WebhookVerificationException {
        verify(headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    public void verify(Map<String, String> headers, byte[] body) throws WebhookVerificationException {
        Objects.requireNonNull(headers, "headers");
        verify(header(headers, "webhook-id"), header(headers, "webhook-timestamp"),
                header(headers, "webhook-signature"), body);
    }

    public void verify(String webhookId, String timestamp, String signatures, byte[] body)
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
        if (Math.abs(clock.instant().getEpochSecond() - seconds) > tolerance.getSeconds()) {
            throw new WebhookVerificationException("webhook-timestamp outside the tolerance");
        }
        byte[] expected = mac(webhookId, seconds, body);
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

    private byte[] mac(String webhookId, long seconds, byte[] body) {
        ByteArrayOutputStream content = new ByteArrayOutputStream(body.length + 64);
        content.writeBytes((webhookId + "." + seconds + ".").getBytes(StandardCharsets.UTF_8));
        content.writeBytes(body);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(content.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] keyBytes(String secret) {
        Objects.requireNonNull(secret, "secret");
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        byte[] key = Base64.getDecoder().decode(encoded);
        if (key.length == 0) {
            throw new IllegalArgumentException("empty webhook secret");
        }
        return key;
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
