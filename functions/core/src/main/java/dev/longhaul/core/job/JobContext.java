package dev.longhaul.core.job;

import java.io.OutputStream;
import java.time.Duration;

/** What a running job may use: progress reporting, cancellation, and the result stream. */
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
}
