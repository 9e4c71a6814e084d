package dev.longhaul.core.port;

/**
 * Long-lived random keys the deployment generates for itself (for example the key that signs
 * page tokens), created on first use and shared by every instance.
 */
public interface SecretKeys {
    /** The key with this name: 32 random bytes, created atomically if it does not exist yet. */
    byte[] key(String name);
}
