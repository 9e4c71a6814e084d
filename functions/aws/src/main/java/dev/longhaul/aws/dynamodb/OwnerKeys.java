package dev.longhaul.aws.dynamodb;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The one way an owner (a JWT {@code sub}, of any length a token can carry) becomes part of a
 * DynamoDB key or index key: item ids such as {@code owner#<key>} and {@code hook#<key>#<id>},
 * and the {@code ByOwner} index's partition key. DynamoDB caps a partition key at 2,048 bytes, a
 * sort key (the index's {@code id}) at 1,024; subjects are unbounded. So a subject of at most
 * {@link #MAX_READABLE_BYTES} UTF-8 bytes is its own key (readable in the console, and what
 * the keys always were), and any other is {@link #HASHED_PREFIX} plus the base64url SHA-256 of its
 * UTF-8 bytes: 51 characters, stable, collision-resistant. A short subject that itself starts with
 * the prefix is hashed too, so no readable key can equal a hashed one.
 *
 * <p>The full subject is never lost: items that show it (a task's owner, a subscription's owner)
 * store it in an attribute of its own.
 */
public final class OwnerKeys {
    /** OpenID Connect's bound on a {@code sub}: anything longer is hashed. */
    public static final int MAX_READABLE_BYTES = 255;
    public static final String HASHED_PREFIX = "~sha256~";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private OwnerKeys() {
    }

    /** The owner as it appears in keys: itself when short, else its digest. */
    public static String key(String owner) {
        if (owner == null || owner.isEmpty()) {
            throw new IllegalArgumentException("an owner is a non-empty subject");
        }
        byte[] utf8 = wellFormedUtf8(owner);
        if (utf8 != null && utf8.length <= MAX_READABLE_BYTES && !owner.startsWith(HASHED_PREFIX)) {
            return owner;
        }
        return HASHED_PREFIX + BASE64URL.encodeToString(sha256(utf8 != null ? utf8 : codeUnits(owner)));
    }

    /** The subject's UTF-8 bytes, or null when it holds a lone surrogate (which UTF-8 cannot carry). */
    private static byte[] wellFormedUtf8(String owner) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(owner));
            return Arrays.copyOfRange(encoded.array(), encoded.arrayOffset() + encoded.position(),
                    encoded.arrayOffset() + encoded.limit());
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * The subject's UTF-16 code units as they are (a charset would replace a lone surrogate),
     * after a byte (0xFF) that UTF-8 never holds, so no such subject hashes like a well-formed one.
     */
    private static byte[] codeUnits(String owner) {
        byte[] marked = new byte[1 + 2 * owner.length()];
        marked[0] = (byte) 0xFF;
        for (int i = 0; i < owner.length(); i++) {
            marked[1 + 2 * i] = (byte) (owner.charAt(i) >> 8);
            marked[2 + 2 * i] = (byte) owner.charAt(i);
        }
        return marked;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
