package dev.longhaul.core.usecase;

import dev.longhaul.core.port.SecretKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident page tokens: the position and the query's filters, signed with
 * HMAC-SHA256 under a key of the deployment and bound to the owner. A forged, altered or
 * another owner's token, or one from a query with other filters, does not verify.
 */
public final class PageTokens {
    static final String KEY_NAME = "page-token";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;
    private static final int MAX_TOKEN_LENGTH = 512;

    private final SecretKeys keys;
    private volatile byte[] key;

    public PageTokens(SecretKeys keys) {
        this.keys = keys;
    }

    public String sign(String owner, String filters, String lastId) {
        String payload = lastId + "|" + filters;
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(mac(owner, body));
    }

    /** The last id the token continues after, or null when the token is not valid for this query. */
    public String verify(String owner, String filters, String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        byte[] body;
        byte[] signature;
        try {
            body = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(mac(owner, body), signature)) {
            return null;
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        int bar = payload.indexOf('|');
        if (bar < 0 || !payload.substring(bar + 1).equals(filters)) {
            return null;
        }
        return payload.substring(0, bar);
    }

    private byte[] mac(String owner, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            mac.update(owner.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] full = mac.doFinal(body);
            byte[] truncated = new byte[MAC_BYTES];
            System.arraycopy(full, 0, truncated, 0, MAC_BYTES);
            return truncated;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            k = keys.key(KEY_NAME);
            key = k;
        }
        return k;
    }
}
