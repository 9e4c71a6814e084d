package dev.longhaul.core.port;

import java.time.Duration;

/**
 * Hides a received work message for a while: longer while its task runs (the heartbeat), or
 * for the backoff before its next attempt.
 */
public interface MessageVisibility {
    void hide(String receiptHandle, Duration duration);
}
