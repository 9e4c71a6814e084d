package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/** Asserts that a use case refused a request with a given problem. */
final class ProblemAssert {
    private ProblemAssert() {
    }

    static Problem assertProblem(Problem.Kind kind, String code, Executable call) {
        ProblemException e = assertThrows(ProblemException.class, call);
        assertEquals(kind, e.problem().kind(), e.problem().toString());
        assertEquals(code, e.problem().code(), e.problem().toString());
        return e.problem();
    }

    /** An invalid-request problem, returning the fields its {@code errors} name, in order. */
    static List<String> assertInvalid(Executable call) {
        Problem problem = assertProblem(Problem.Kind.INVALID, "invalid-request", call);
        @SuppressWarnings("unchecked")
        List<Object> errors = (List<Object>) problem.extensions().get("errors");
        return errors.stream().map(e -> (String) ((Map<?, ?>) e).get("field")).toList();
    }
}
