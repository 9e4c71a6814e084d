package dev.longhaul.api;

import dev.longhaul.core.usecase.Problem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place problems become HTTP: RFC 9457 {@code application/problem+json} with
 * {@code type}, {@code title}, {@code status}, {@code detail} and a stable {@code code}.
 */
final class Problems {
    static final String TYPE_BASE = "https://longhaul.dev/problems/";

    private Problems() {
    }

    static int status(Problem.Kind kind) {
        switch (kind) {
            case INVALID: return 400;
            case UNAUTHORIZED: return 401;
            case FORBIDDEN: return 403;
            case NOT_FOUND: return 404;
            case CONFLICT: return 409;
            case GONE: return 410;
            case TOO_LARGE: return 413;
            case UNPROCESSABLE: return 422;
            case LIMIT_EXCEEDED: return 429;
            case UNAVAILABLE: return 503;
            default: return 500;
        }
    }

    static HttpResponse render(Problem problem, String instance) {
        int status = status(problem.kind());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + problem.code());
        body.put("title", problem.title());
        body.put("status", status);
        body.put("detail", problem.detail());
        body.put("code", problem.code());
        if (instance != null) {
            body.put("instance", instance);
        }
        body.putAll(problem.extensions());
        HttpResponse response = HttpResponse.json(status, body)
                .withHeader("Content-Type", "application/problem+json");
        Object retryAfter = problem.extensions().get("retryAfter");
        if (retryAfter != null) {
            response = response.withHeader("Retry-After", String.valueOf(retryAfter));
        } else if (status == 503) {
            response = response.withHeader("Retry-After", "1");
        }
        if (status == 401) {
            response = response.withHeader("WWW-Authenticate", "Bearer");
        }
        return response;
    }

    static Problem unauthorized() {
        return Problem.of(Problem.Kind.UNAUTHORIZED, "unauthorized", "Unauthorized",
                "A valid bearer token with a subject (of at most " + HttpRequest.MAX_SUBJECT_CHARS
                        + " characters) is required.");
    }

    static Problem internal() {
        return Problem.of(Problem.Kind.INTERNAL, "internal-error", "Internal error",
                "The request could not be completed. Retry later; the error was logged.");
    }

    /** A store or queue throttled or failed past the client's retries; nothing to fix in the request. */
    static Problem serviceUnavailable() {
        return Problem.of(Problem.Kind.UNAVAILABLE, "service-unavailable", "Service unavailable",
                "A storage service is busy or unavailable. Retry the request after Retry-After seconds; "
                        + "with the same Idempotency-Key a retried create is safe.").with("retryAfter", 2);
    }

    static Problem routeNotFound() {
        return Problem.of(Problem.Kind.NOT_FOUND, "route-not-found", "Not found", "No such resource.");
    }
}
