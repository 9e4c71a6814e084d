package dev.longhaul.core.webhook;

import java.security.SecureRandom;
import java.util.Base64;

/** Standard Webhooks signing secrets: {@code whsec_} followed by the base64 of the key bytes. */
public final class WebhookSecret {
    public static final String PREFIX = "whsec_";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecret() {
    }

    /** A new secret with 256 random bits. */
    public static String generate() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The key bytes of a secret; the {@code whsec_} prefix is optional, as in the Standard
     * Webhooks reference libraries.
     *
     * @throws IllegalArgumentException when the rest is not base64 or is empty
     */
    public static byte[] key(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("no webhook secret");
        }
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] key = Base64.getDecoder().decode(encoded);
        if (key.length == 0) {
            throw new IllegalArgumentException("empty webhook secret");
        }
        return key;
    }
}
