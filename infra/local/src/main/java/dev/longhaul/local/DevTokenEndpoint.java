package dev.longhaul.local;

import com.sun.net.httpserver.HttpExchange;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /console/dev-token {"subject": "alice"}}: a development JWT for the console's "sign in
 * as" box, signed with the local cloud's secret for the issuer and audience its JWT authorizer
 * checks; what {@code longhaul-local.jar token alice} prints. It exists in the local cloud only (the
 * gateway answers it before any template route; no template or AWS resource declares it), and
 * only on a loopback address.
 *
 * <p>Cross-site requests are refused: the body must be {@code application/json} (so a foreign page
 * needs a CORS preflight, which is never granted), and an {@code Origin} or
 * {@code Sec-Fetch-Site} header, when present, must say the request comes from the page itself.
 */
final class DevTokenEndpoint {

    static final String PATH = "/console/dev-token";
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private final Jwt jwt;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    DevTokenEndpoint(Jwt jwt, String issuer, String audience, Clock clock) {
        this.jwt = jwt;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    boolean handles(String path) {
        return PATH.equals(path);
    }

    /** Answers the request; returns the status for the access log. */
    int serve(HttpExchange exchange, byte[] body) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("allow", "POST");
            return problem(exchange, 405, "method-not-allowed", "Method not allowed", "Use POST with {\"subject\": \"alice\"}.");
        }
        String contentType = exchange.getRequestHeaders().getFirst("content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return problem(exchange, 415, "unsupported-media-type", "Unsupported media type",
                    "The body must be application/json.");
        }
        if (!sameOrigin(exchange)) {
            return problem(exchange, 403, "cross-origin", "Cross-origin request refused",
                    "Development tokens are only handed to the console served by this local cloud.");
        }
        Object subject;
        try {
            subject = Json.parseObject(new String(body, StandardCharsets.UTF_8)).get("subject");
        } catch (JsonException e) {
            return problem(exchange, 400, "invalid-body", "Invalid request body", "The body must be {\"subject\": \"alice\"}.");
        }
        if (!(subject instanceof String name) || !SUBJECT.matcher(name).matches()) {
            return problem(exchange, 400, "invalid-subject", "Invalid subject",
                    "subject must be 1 to 128 letters, digits, '.', '_', '@' or '-'.");
        }
        Instant now = clock.instant();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", jwt.mint(name, issuer, audience, now, LIFETIME));
        answer.put("subject", name);
        answer.put("expiresAt", Instant.ofEpochSecond(now.plus(LIFETIME).getEpochSecond()).toString());
        return send(exchange, 200, "application/json", answer);
    }

    private static boolean sameOrigin(HttpExchange exchange) {
        String fetchSite = exchange.getRequestHeaders().getFirst("sec-fetch-site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return false;
        }
        String origin = exchange.getRequestHeaders().getFirst("origin");
        String host = exchange.getRequestHeaders().getFirst("host");
        return origin == null || (host != null && origin.equalsIgnoreCase("http://" + host));
    }

    private static int problem(HttpExchange exchange, int status, String code, String title, String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://longhaul.dev/problems/" + code);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("code", code);
        return send(exchange, status, "application/problem+json", problem);
    }

    private static int send(HttpExchange exchange, int status, String contentType, Map<String, Object> body)
            throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.getResponseHeaders().set("cache-control", "no-store");
        exchange.getResponseHeaders().set("x-content-type-options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }
}
