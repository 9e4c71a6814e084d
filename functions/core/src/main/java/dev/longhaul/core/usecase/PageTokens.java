package dev.longhaul.core.usecase;

import dev.longhaul.core.port.SecretKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident page tokens: the position and the query's filters, signed with
 * HMAC-SHA256 under a key of the deployment and bound to the owner. A forged, altered or
 * another owner's token, or one from a query with other filters, does not verify.
 *
 * <p>A token is {@code <key id>.<payload>.<mac>}: it names the version of the key that signed it,
 * so a token signed before the key rotated still verifies while that version is kept. Keys are
 * read once per instance and version.
 */
public final class PageTokens {
    static final String KEY_NAME = "page-token";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;
    private static final int MAX_TOKEN_LENGTH = 512;
    /** Versions kept in memory; a key rotates monthly, so a few cover every live token. */
    private static final int MAX_CACHED_KEYS = 16;

    private final SecretKeys keys;
    private final Map<String, byte[]> versions = new ConcurrentHashMap<>();
    private volatile SecretKeys.Key current;

    public PageTokens(SecretKeys keys) {
        this.keys = keys;
    }

    public String sign(String owner, String filters, String lastId) {
        SecretKeys.Key key = current();
        String payload = lastId + "|" + filters;
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return key.id() + "." + ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(mac(key.bytes(), owner, body));
    }

    /** The last id the token continues after, or null when the token is not valid for this query. */
    public String verify(String owner, String filters, String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty() || !SecretKeys.isWellFormedId(parts[0])) {
            return null;
        }
        byte[] body;
        byte[] signature;
        try {
            body = DECODER.decode(parts[1]);
            signature = DECODER.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        byte[] key = version(parts[0]);
        if (key == null || !MessageDigest.isEqual(mac(key, owner, body), signature)) {
            return null;
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        int bar = payload.indexOf('|');
        if (bar < 0 || !payload.substring(bar + 1).equals(filters)) {
            return null;
        }
        return payload.substring(0, bar);
    }

    private static byte[] mac(byte[] key, String owner, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
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

    private SecretKeys.Key current() {
        SecretKeys.Key key = current;
        if (key == null) {
            key = keys.current(KEY_NAME);
            remember(key.id(), key.bytes());
            current = key;
        }
        return key;
    }

    /** The bytes of a version of the key, or null when there is none with this id. */
    private byte[] version(String id) {
        byte[] known = versions.get(id);
        if (known != null) {
            return known;
        }
        Optional<byte[]> found = keys.find(KEY_NAME, id);
        found.ifPresent(bytes -> remember(id, bytes));
        return found.orElse(null);
    }

    private void remember(String id, byte[] bytes) {
        if (versions.size() >= MAX_CACHED_KEYS) {
            versions.clear();
        }
        versions.put(id, bytes);
    }
}
