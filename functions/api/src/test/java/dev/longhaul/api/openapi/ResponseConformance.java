package dev.longhaul.api.openapi;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks real responses against the document: the status is documented for the operation, every
 * required header is present, every header sent is documented and valid, and the body has a
 * documented media type and is valid against its schema (or is empty when none is documented).
 * Remembers which documented statuses it has seen.
 */
final class ResponseConformance {
    private final OpenApiDocument document;
    private final Set<String> seen = new LinkedHashSet<>();

    ResponseConformance(OpenApiDocument document) {
        this.document = document;
    }

    /** Every way the response departs from the document; empty when it conforms. */
    List<String> check(String method, String path, int status, Map<String, ?> headers, String body) {
        OpenApiDocument.Operation operation = document.find(method, path).orElse(null);
        if (operation == null) {
            return List.of(method + " " + path + " is not a documented operation");
        }
        return check(operation, status, headers, body);
    }

    List<String> check(OpenApiDocument.Operation operation, int status, Map<String, ?> headers, String body) {
        List<String> violations = new ArrayList<>();
        Object documented = null;
        for (Map.Entry<String, Object> e : operation.responses().entrySet()) {
            if (String.valueOf(e.getKey()).equals(String.valueOf(status))) {
                documented = e.getValue();
            }
        }
        if (documented == null) {
            return List.of(operation + ": status " + status + " is not documented");
        }
        seen.add(key(operation.id(), status));
        Map<String, Object> response = document.deref(documented);
        String where = operation + " " + status;

        Map<String, String> sent = new LinkedHashMap<>();
        headers.forEach((name, value) -> sent.put(name.toLowerCase(Locale.ROOT), String.valueOf(value)));
        Map<String, Map<String, Object>> declared = new LinkedHashMap<>();
        if (response.get("headers") != null) {
            OpenApiDocument.map(response.get("headers")).forEach((name, header) ->
                    declared.put(name.toLowerCase(Locale.ROOT), document.deref(header)));
        }
        declared.forEach((name, header) -> {
            if (Boolean.TRUE.equals(header.get("required")) && !sent.containsKey(name)) {
                violations.add(where + ": required header " + name + " is missing");
            }
        });
        sent.forEach((name, value) -> {
            if (name.equals("content-type")) {
                return;
            }
            Map<String, Object> header = declared.get(name);
            if (header == null) {
                violations.add(where + ": header " + name + " is not documented");
                return;
            }
            Object schema = header.get("schema");
            for (String error : document.validator().validate(schema, headerValue(schema, value))) {
                violations.add(where + ": header " + name + error.substring(1));
            }
        });

        Object content = response.get("content");
        String mediaType = sent.get("content-type");
        if (content == null) {
            if (body != null && !body.isEmpty()) {
                violations.add(where + ": no body is documented, but one was sent");
            }
            return violations;
        }
        if (mediaType == null) {
            violations.add(where + ": Content-Type is missing");
            return violations;
        }
        String essence = mediaType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        Map<String, Object> media = OpenApiDocument.map(content).entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(essence))
                .map(e -> OpenApiDocument.map(e.getValue()))
                .findFirst().orElse(null);
        if (media == null) {
            violations.add(where + ": media type " + essence + " is not documented (documented: "
                    + OpenApiDocument.map(content).keySet() + ")");
            return violations;
        }
        Object value;
        try {
            value = Json.parse(body);
        } catch (JsonException e) {
            violations.add(where + ": the body is not JSON");
            return violations;
        }
        for (String error : document.validator().validate(media.get("schema"), value)) {
            violations.add(where + ": body " + error);
        }
        return violations;
    }

    /** Headers are text; a header whose schema is an integer is compared as one. */
    private Object headerValue(Object schema, String value) {
        Object type = document.deref(schema).get("type");
        boolean integer = "integer".equals(type) || type instanceof Collection<?> c && c.contains("integer");
        if (integer && value.matches("-?[0-9]{1,18}")) {
            return Long.parseLong(value);
        }
        return value;
    }

    /** Documented operation-status pairs no checked response had, such as {@code deleteTask 503}. */
    Set<String> unseen() {
        Set<String> unseen = new LinkedHashSet<>();
        for (OpenApiDocument.Operation operation : document.operations()) {
            for (Object status : operation.responses().keySet()) {
                String key = key(operation.id(), status);
                if (!seen.contains(key)) {
                    unseen.add(key);
                }
            }
        }
        return unseen;
    }

    private static String key(String operationId, Object status) {
        return operationId + " " + status;
    }
}
