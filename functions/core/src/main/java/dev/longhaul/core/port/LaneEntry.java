package dev.longhaul.core.port;

/** A queued task of a named queue, as its index shows it: held, or the next to run. */
public record LaneEntry(String id, boolean held) {
}
