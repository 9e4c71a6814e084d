package dev.longhaul.core.usecase;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a request was refused. {@link Kind} is the closed set of outcomes; the API maps kinds to
 * HTTP statuses in one place. {@code code} is stable for clients to branch on; {@code detail}
 * is written for people and never carries an exception message.
 */
public record Problem(Kind kind, String code, String title, String detail, Map<String, Object> extensions) {

    public enum Kind { INVALID, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, GONE, TOO_LARGE, UNPROCESSABLE,
        LIMIT_EXCEEDED, UNAVAILABLE, INTERNAL }

    public Problem {
        extensions = extensions == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(extensions));
    }

    public static Problem of(Kind kind, String code, String title, String detail) {
        return new Problem(kind, code, title, detail, Map.of());
    }

    public Problem with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(key, value);
        return new Problem(kind, code, title, detail, more);
    }

    public ProblemException exception() {
        return new ProblemException(this);
    }
}
