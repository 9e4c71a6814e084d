package dev.longhaul.core.port;

/**
 * An owner's named queue as the store keeps it.
 *
 * @param holder  the task that holds it (queued to run, running, or waiting for its children),
 *                null when it is free
 * @param waiting how many tasks are held behind it
 */
public record Lane(String holder, long waiting) {
    public static final Lane FREE = new Lane(null, 0);
}
