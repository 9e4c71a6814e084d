package dev.longhaul.core.task;

/** A change the task's current state does not allow (for example finishing a finished task). */
public final class IllegalTransitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Task task;

    public IllegalTransitionException(Task task, String change) {
        super("cannot " + change + " a task that is " + task.status()
                + (task.cancelRequested() ? " (cancel requested)" : ""));
        this.task = task;
    }

    /** The task as it was when the change was refused. */
    public Task task() {
        return task;
    }
}
