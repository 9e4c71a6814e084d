package dev.longhaul.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
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

    public static HttpRequest fromEvent(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = context == null ? null : context.getHttp();
        String method = http == null ? null : http.getMethod();
        String path = event.getRawPath();
        if (path == null && http != null) {
            path = http.getPath();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        Map<String, String> query = event.getQueryStringParameters() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(event.getQueryStringParameters());
        byte[] body = new byte[0];
        if (event.getBody() != null) {
            body = event.getIsBase64Encoded() ? decodeBase64(event.getBody()) : event.getBody().getBytes(StandardCharsets.UTF_8);
        }
        return new HttpRequest(method == null ? "" : method.toUpperCase(Locale.ROOT), path == null ? "/" : path,
                headers, query, body, owner(context), context == null ? null : context.getRequestId());
    }

    /**
     * The longest subject taken: far past any API Gateway lets through (10 KiB of headers), and
     * short enough that a task item (400 KB), a subscription and a delivery message (256 KiB) can
     * always hold it, even JSON-escaped.
     */
    public static final int MAX_SUBJECT_CHARS = 16_384;

    /** The JWT authorizer's {@code sub} claim; null when there is none or it is past the bound. */
    private static String owner(APIGatewayV2HTTPEvent.RequestContext context) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = context == null ? null : context.getAuthorizer();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = authorizer == null ? null : authorizer.getJwt();
        Map<String, String> claims = jwt == null ? null : jwt.getClaims();
        String sub = claims == null ? null : claims.get("sub");
        return sub == null || sub.isBlank() || sub.length() > MAX_SUBJECT_CHARS ? null : sub;
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
