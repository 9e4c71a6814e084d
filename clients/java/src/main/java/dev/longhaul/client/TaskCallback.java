package dev.longhaul.client;

/**
 * A task's one-off callback and the secret its delivery is signed with; only in the answer to a
 * create with a callback URL (and its idempotent replays).
 */
public record TaskCallback(String url, String secret) {
    @Override
    public String toString() {
        return "TaskCallback[url=" + url + ", secret=(hidden)]";
    }
}
