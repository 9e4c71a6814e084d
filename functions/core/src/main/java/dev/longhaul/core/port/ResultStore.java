package dev.longhaul.core.port;

import java.net.URI;
import java.time.Duration;

/** Where task results are kept, one object per task. */
public interface ResultStore {

    /** Starts writing the result of a task. Nothing is visible until {@link ResultUpload#commit()}. */
    ResultUpload open(String taskId, String contentType);

    /**
     * Continues an upload a previous invocation {@link ResultUpload#suspend suspended}. The job
     * writes its output from the start again (its output must be deterministic); the bytes
     * already stored are skipped, not sent twice. Without a checkpoint this is {@link #open}.
     */
    default ResultUpload resume(String taskId, String contentType) {
        return open(taskId, contentType);
    }

    /**
     * A URL that lets anyone holding it GET the result object for {@code ttl}. Signing makes no
     * network call.
     */
    URI presignedDownload(String taskId, String contentType, String fileName, Duration ttl);

    /**
     * The size of the task's stored result, if an earlier attempt committed one: a retried run
     * adopts it instead of writing the result a second time.
     */
    java.util.OptionalLong storedSize(String taskId);

    /** Deletes the result object; a missing one is ignored. */
    void delete(String taskId);
}
