package dev.longhaul.core.job;

/** Unwinds a job whose task was cancelled; thrown by the context at a progress point. */
public final class TaskCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskCancelledException() {
        super("task cancelled", null, false, false);
    }
}
