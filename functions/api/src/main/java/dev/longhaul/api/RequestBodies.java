package dev.longhaul.api;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A request's body as a JSON object, or the problem (400 {@code invalid-body}, 413) that says why not. */
final class RequestBodies {
    private RequestBodies() {
    }

    static Map<String, Object> json(HttpRequest request, int maxBytes) {
        byte[] body = request.body();
        if (body == null) {
            throw invalidBody("The body is not valid base64.");
        }
        if (body.length > maxBytes) {
            throw Problem.of(Problem.Kind.TOO_LARGE, "body-too-large", "Request body too large",
                    "The body must be at most " + maxBytes + " bytes.").with("maxBytes", maxBytes).exception();
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            return Json.parseObject(text);
        } catch (CharacterCodingException e) {
            throw invalidBody("The body must be UTF-8 encoded JSON.");
        } catch (JsonException e) {
            throw invalidBody("The body must be a JSON object: " + e.getMessage() + ".");
        }
    }

    static ProblemException invalidBody(String detail) {
        return Problem.of(Problem.Kind.INVALID, "invalid-body", "Invalid request body", detail)
                .with("errors", List.of(Map.of("field", "body", "message", detail))).exception();
    }
}
