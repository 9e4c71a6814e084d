package dev.longhaul.client;

/** Why a task failed: a stable machine {@code code} and a message for its owner. */
public record TaskError(String code, String message) {
}
