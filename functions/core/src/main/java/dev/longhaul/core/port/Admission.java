package dev.longhaul.core.port;

/**
 * What a new task must get to be admitted: a slot under its owner's active-task limit and, when
 * the request carried one, its idempotency key.
 *
 * @param maxActive   the owner's limit of queued plus running tasks; 0 or less means none
 * @param idempotency the key record to store with the task, or null
 */
public record Admission(int maxActive, IdempotencyRecord idempotency) {
    public static final Admission UNLIMITED = new Admission(0, null);

    public boolean limited() {
        return maxActive > 0;
    }
}
