package dev.longhaul.core.port;

import java.util.Optional;

/**
 * Long-lived random keys the deployment generates for itself (for example the key that signs
 * page tokens), created on first use and shared by every instance. A key rotates: a new one
 * becomes current under a new id, and the ones before it stay readable by their id for a while,
 * so what they signed still verifies.
 */
public interface SecretKeys {

    /**
     * One version of a key.
     *
     * @param id    short and URL-safe ({@code [A-Za-z0-9_-]}, at most {@link #MAX_ID_LENGTH}): it
     *              travels with what the key signs
     * @param bytes 32 random bytes
     */
    record Key(String id, byte[] bytes) {
    }

    int MAX_ID_LENGTH = 32;

    /** The key to sign with now, created atomically if there is none yet. */
    Key current(String name);

    /** The bytes of this version of the key, current or retired; empty when there is no such version. */
    Optional<byte[]> find(String name, String id);

    /** Whether {@code id} has the shape of a key id, checked before anything is looked up. */
    static boolean isWellFormedId(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_ID_LENGTH && id.chars().allMatch(
                c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }
}
