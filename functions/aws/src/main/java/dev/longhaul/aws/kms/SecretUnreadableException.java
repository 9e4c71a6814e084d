package dev.longhaul.aws.kms;

/** A stored secret that does not decrypt: altered, or copied from another item. */
public final class SecretUnreadableException extends IllegalStateException {
    public SecretUnreadableException(String message) {
        super(message);
    }
}
