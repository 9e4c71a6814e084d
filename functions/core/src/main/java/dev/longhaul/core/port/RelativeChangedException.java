package dev.longhaul.core.port;

/**
 * A new task could not be stored because a task it refers to changed meanwhile: its parent
 * finished or reached its most children, or a dependency finished. Reading them again tells which.
 */
public final class RelativeChangedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String taskId;

    public RelativeChangedException(String taskId) {
        super("a related task changed", null, false, false);
        this.taskId = taskId;
    }

    /** The parent or dependency that changed, when the store can tell; else null. */
    public String taskId() {
        return taskId;
    }
}
