package dev.longhaul.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.longhaul.core.json.JsonObject;
import java.util.Locale;

/** The one error model: every 4xx and 5xx is an RFC 9457 problem with a stable code. */
final class ProblemResponses {
    private ProblemResponses() {
    }

    static JsonObject assertProblem(ApiInvoker.Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/problem+json", response.header("Content-Type"));
        JsonObject problem = response.json();
        assertEquals(status, problem.longValue("status").intValue());
        assertEquals(code, problem.string("code"));
        assertEquals("https://longhaul.dev/problems/" + code, problem.string("type"));
        assertNotNull(problem.string("title"));
        assertNotNull(problem.string("detail"));
        String body = response.body().toLowerCase(Locale.ROOT);
        assertFalse(body.contains("exception") || body.contains("\tat ") || body.contains("dev.longhaul"),
                "no internals in " + response.body());
        return problem;
    }
}
