package dev.longhaul.core.port;

/** A concurrent request stored the same idempotency key first. */
public final class IdempotencyKeyTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IdempotencyKeyTakenException() {
        super("idempotency key taken", null, false, false);
    }
}
