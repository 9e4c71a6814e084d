package dev.longhaul.core.job;

import dev.longhaul.core.task.TaskError;

/** Thrown by a job to fail its task with a stable code and a message shown to the owner. */
public class JobFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public JobFailedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public TaskError toError() {
        return new TaskError(code, getMessage());
    }
}
