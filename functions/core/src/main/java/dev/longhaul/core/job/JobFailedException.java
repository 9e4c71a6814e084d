package dev.longhaul.core.job;

import dev.longhaul.core.task.TaskError;

/** Thrown by a job to fail its task with a stable code and a message shown to the owner. */
public class JobFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final boolean retryable;

    public JobFailedException(String code, String message) {
        this(code, message, false);
    }

    /**
     * @param retryable true for a failure another attempt may not meet (a timeout, a busy
     *                  upstream): the task is retried with backoff up to the attempt limit
     */
    public JobFailedException(String code, String message, boolean retryable) {
        super(message);
        this.code = code;
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    public TaskError toError() {
        return new TaskError(code, getMessage());
    }
}
