package dev.longhaul.aws.dynamodb;

/** {@code create} found a task with the same id already stored. */
public final class TaskAlreadyExistsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public TaskAlreadyExistsException(String taskId, Throwable cause) {
        super("task " + taskId + " already exists", cause);
    }
}
