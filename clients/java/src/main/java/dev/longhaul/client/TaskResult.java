package dev.longhaul.client;

/** What a succeeded task produced: the download's media type and size in bytes. */
public record TaskResult(String contentType, long size) {
}
