package dev.longhaul.api;

import dev.longhaul.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of an API Gateway HTTP API (payload format 2.0) event the API uses. Header names
 * are lower-cased, as API Gateway delivers them.
 *
 * @param owner the JWT {@code sub} claim set by the authorizer, or null when absent
 * @param body  the raw body bytes (base64 decoded when API Gateway encoded them)
 */
public record HttpRequest(String method, String path, Map<String, String> headers,
                          Map<String, String> query, byte[] body, String owner, String requestId) {

    public static HttpRequest fromEvent(Map<String, Object> event) {
        JsonObject e = JsonObject.of(event);
        JsonObject context = e.object("requestContext");
        JsonObject http = context == null ? null : context.object("http");
        String method = http == null ? null : http.string("method");
        String path = e.string("rawPath");
        if (path == null && http != null) {
            path = http.string("path");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonObject rawHeaders = e.object("headers");
        if (rawHeaders != null) {
            for (String name : rawHeaders.map().keySet()) {
                headers.put(name.toLowerCase(Locale.ROOT), rawHeaders.string(name));
            }
        }
        Map<String, String> query = new LinkedHashMap<>();
        JsonObject rawQuery = e.object("queryStringParameters");
        if (rawQuery != null) {
            for (String name : rawQuery.map().keySet()) {
                query.put(name, rawQuery.string(name));
            }
        }
        byte[] body = new byte[0];
        String rawBody = e.string("body");
        if (rawBody != null) {
            body = e.bool("isBase64Encoded") ? decodeBase64(rawBody) : rawBody.getBytes(StandardCharsets.UTF_8);
        }
        String owner = null;
        JsonObject authorizer = context == null ? null : context.object("authorizer");
        JsonObject jwt = authorizer == null ? null : authorizer.object("jwt");
        JsonObject claims = jwt == null ? null : jwt.object("claims");
        if (claims != null && claims.map().get("sub") instanceof String && !claims.string("sub").isBlank()) {
            owner = claims.string("sub");
        }
        String requestId = context == null ? null : context.string("requestId");
        return new HttpRequest(method == null ? "" : method.toUpperCase(Locale.ROOT), path == null ? "/" : path,
                headers, query, body, owner, requestId);
    }

    private static byte[] decodeBase64(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
