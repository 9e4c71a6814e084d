package dev.longhaul.core.job;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of work Longhaul can run. Implement it, register it in {@link JobRegistry}, and the API
 * accepts tasks of its {@link #type()}.
 */
public interface Job {

    /** The name clients use in {@code "type"}, for example {@code report.stock}. */
    String type();

    /**
     * What the type does and what its result holds, in a sentence or two for the people choosing
     * it: {@code GET /v1/task-types} lists it.
     */
    String description();

    /**
     * The rules its parameters must follow. Create validates with them (every bad field named,
     * defaults filled in) and {@code GET /v1/task-types} publishes them as JSON Schema: there is
     * no other validation, so the published schema is exactly what create accepts.
     */
    Parameters parameters();

    /** The media type of the result this job writes for these (validated) parameters. */
    String contentType(Map<String, Object> parameters);

    /**
     * The media type with every optional parameter at its default, as {@code GET /v1/task-types}
     * lists it. Override it if {@link #contentType} reads a required parameter.
     */
    default String defaultContentType() {
        return contentType(parameters().defaults());
    }

    /**
     * True when the job writes the same bytes for the same parameters: it can then be continued
     * in a new invocation when its function's time runs out, without redoing what was stored.
     */
    default boolean resumable() {
        return false;
    }

    /**
     * How long a run takes, when the job can tell from its parameters. The worker does not start
     * a job that is not {@link #resumable()} with less than this, plus its yield margin, left in
     * its invocation: it hands the task on to a fresh one instead. Empty for a short job.
     */
    default Optional<Duration> expectedDuration(Map<String, Object> parameters) {
        return Optional.empty();
    }

    /** The extension of the downloaded file, without the dot. */
    default String fileExtension(Map<String, Object> parameters) {
        return "json";
    }

    /**
     * Does the work, writing the result to {@link JobContext#output()} and reporting progress.
     * Throw {@link JobFailedException} to fail the task with a code and message for the owner.
     */
    void run(Map<String, Object> parameters, JobContext context) throws Exception;
}
