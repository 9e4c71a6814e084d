package dev.longhaul.core.port;

import java.time.Instant;

/**
 * An {@code Idempotency-Key} an owner used: which request it was used with (by hash) and which
 * task it created. Keys are scoped per owner and remembered until {@code expiresAt}.
 */
public record IdempotencyRecord(String owner, String key, String requestHash, String taskId, Instant expiresAt) {
}
