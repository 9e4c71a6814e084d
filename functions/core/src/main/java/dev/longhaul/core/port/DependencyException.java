package dev.longhaul.core.port;

/**
 * A failure of a service behind a port (the task store, the queue, the result store), as the
 * adapter saw it after its own retries. {@link #isTransient()} tells a caller whether the same
 * request may succeed later (throttling, a server-side error, the network): the API answers
 * those with 503 and {@code Retry-After}, anything else with 500.
 */
public abstract class DependencyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected DependencyException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract boolean isTransient();
}
