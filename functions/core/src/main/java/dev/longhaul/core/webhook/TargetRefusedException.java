package dev.longhaul.core.webhook;

/** A webhook target Longhaul will not call; the message is safe to show the client. */
public final class TargetRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public TargetRefusedException(String reason) {
        super(reason, null, false, false);
    }
}
