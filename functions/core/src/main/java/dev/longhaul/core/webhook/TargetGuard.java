package dev.longhaul.core.webhook;

import java.net.URI;

/**
 * Decides whether Longhaul may send requests to a URL (the SSRF guard). Consulted when a
 * subscription or callback is created and again before every delivery, because what a name
 * resolves to can change in between.
 */
public interface TargetGuard {

    /**
     * The URL, parsed, if it may be called.
     *
     * @throws TargetRefusedException with a reason fit to show the client
     */
    URI check(String url) throws TargetRefusedException;
}
