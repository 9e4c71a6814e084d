package dev.longhaul.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries the Standard Webhooks way: {@code v1,} then the base64 HMAC-SHA256, keyed with
 * the secret's bytes, of {@code <webhook-id>.<webhook-timestamp>.<body>}.
 */
public final class WebhookSigner {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private final SecretKeySpec key;

    public WebhookSigner(String secret) {
        this.key = new SecretKeySpec(WebhookSecret.key(secret), "HmacSHA256");
    }

    /** The {@code v1,<base64>} signature of one message. */
    public String sign(String webhookId, long timestampSeconds, String body) {
        return "v1," + Base64.getEncoder().encodeToString(mac(webhookId, timestampSeconds, body));
    }

    /** The three headers of a delivery sent at {@code now}. */
    public Map<String, String> headers(String webhookId, Instant now, String body) {
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, webhookId);
        headers.put(TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(SIGNATURE_HEADER, sign(webhookId, timestamp, body));
        return headers;
    }

    byte[] mac(String webhookId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
