package dev.longhaul.core.job;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What a running job may use: progress reporting, cancellation, the result stream, and children. */
public interface JobContext {

    /**
     * Reports progress (0-100). This is also the job's cancellation point and heartbeat: it
     * throws {@link TaskCancelledException} once cancellation was requested. Cheap to call often;
     * writes are rate limited.
     */
    void progress(int percent);

    /** True once the owner asked to cancel. */
    boolean cancelRequested();

    /** Sleeps, waking early with {@link TaskCancelledException} if the task is cancelled. */
    void sleep(Duration duration) throws InterruptedException;

    /** Where the result goes. Streamed: the job need not hold the result in memory. */
    OutputStream output();

    /**
     * Creates a child task of this one, of {@code type} with {@code parameters} (validated as a
     * create validates them), and returns its id. The n-th call of a run always stands for the
     * same child: a job that runs again (after a retry, or after {@link #awaitChildren}) and
     * spawns the same children in the same order gets the ones it created before.
     *
     * @throws JobFailedException with {@code invalid-child} for a bad type or parameters, and
     *                            {@code too-many-children} past 100 children
     */
    default String spawn(String type, Map<String, Object> parameters) {
        throw new UnsupportedOperationException("this context cannot spawn children");
    }

    /** This task's children, oldest first, as they are now. */
    default List<Child> children() {
        return List.of();
    }

    /**
     * Waits for every child of this task to finish. Returns at once when none is unfinished;
     * otherwise the job stops here, no Lambda runs while the children do, and the job runs again
     * from its start once the last one finishes: so spawn first (again), then wait, then read
     * {@link #children()}.
     */
    default void awaitChildren() {
        throw new UnsupportedOperationException("this context cannot wait for children");
    }
}
