package dev.longhaul.core.webhook;

/**
 * Decides whether Longhaul may send requests to a URL (the SSRF guard). Consulted when a
 * subscription or callback is created and again before every delivery, because what a name
 * resolves to can change in between; the delivery then connects to the addresses checked.
 */
public interface TargetGuard {

    /**
     * The URL, parsed, with the addresses it was checked at, if it may be called.
     *
     * @throws TargetRefusedException with a reason fit to show the client
     */
    CheckedTarget check(String url) throws TargetRefusedException;
}
