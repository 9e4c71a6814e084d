package dev.longhaul.client;

import static dev.longhaul.client.JsonCodec.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The API answered with an error. For an {@code application/problem+json} answer, {@link #code()}
 * is the problem's stable code to branch on ({@code task-not-found}, {@code
 * concurrency-limit-exceeded}, ...), {@link #detail()} its text for people, and {@link #problem()}
 * the whole problem with its extension members ({@code errors}, {@code limit}, {@code error}, ...).
 * An answer without a problem body (API Gateway's own {@code {"message": ...}} errors, an S3
 * error on the download) has the code {@code http-<status>}.
 *
 * <p>Network failures are not this exception: they surface as {@link java.io.UncheckedIOException}
 * once the retries are spent.
 */
public class LonghaulException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String title;
    private final String detail;
    private final transient JsonNode problem;
    private final Duration retryAfter;

    public LonghaulException(int status, String code, String title, String detail, JsonNode problem,
            Duration retryAfter) {
        super(status + " " + Objects.requireNonNull(code, "code") + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.problem = problem == null ? JsonNodeFactory.instance.objectNode() : problem;
        this.retryAfter = retryAfter;
    }

    /** The exception for an error answer: its problem when it has one, else the status alone. */
    static LonghaulException of(int status, String contentType, JsonNode body, Duration retryAfter) {
        boolean problemBody = body.isObject() && text(body, "code") != null
                && (contentType == null || contentType.contains("json"));
        if (problemBody) {
            return new LonghaulException(status, text(body, "code"), text(body, "title"), text(body, "detail"),
                    body, retryAfter);
        }
        String message = body.isObject() ? text(body, "message") : null;
        return new LonghaulException(status, "http-" + status, message,
                message == null ? "The server answered " + status + "." : message, null, retryAfter);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The problem's stable code, or {@code http-<status>} when the answer had no problem body. */
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The explanation for people; it may change between versions, so branch on {@link #code()}. */
    public String detail() {
        return detail;
    }

    /** The problem as received, with its extension members; an empty object when there was none. */
    public JsonNode problem() {
        return problem;
    }

    /** The answer's {@code Retry-After}, when it had one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
