package dev.longhaul.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import dev.longhaul.emulators.Stack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * API Gateway HTTP API in front of the functions: routes, the JWT authorizer and payload format 2.0,
 * answering the same canned errors API Gateway does ({@code {"message":"Not Found"}}, ...).
 */
final class Gateway implements AutoCloseable {

    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection", "date");

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Route> routes;
    private final Jwt jwt;
    private final DevTokenEndpoint devTokens;
    private final PrintStream log;
    private final URI baseUrl;

    private Gateway(HttpServer server, ExecutorService threads, List<Route> routes, Jwt jwt,
                    DevTokenEndpoint devTokens, PrintStream log) {
        this.server = server;
        this.threads = threads;
        this.routes = routes.stream().sorted(Route.precedence()).toList();
        this.jwt = jwt;
        this.devTokens = devTokens;
        this.log = log;
        InetSocketAddress address = server.getAddress();
        this.baseUrl = URI.create("http://" + hostForUrl(address.getHostString()) + ":" + address.getPort());
    }

    /**
     * Takes the address before anything else starts, so a busy port fails the start at once; the
     * server answers nothing until {@link #start}.
     */
    static HttpServer bind(String host, int port) throws IOException {
        return HttpServer.create(new InetSocketAddress(host, port), 64);
    }

    /** @param devTokens the local-only {@code POST /console/dev-token}, or null to leave it out */
    static Gateway start(HttpServer server, List<Route> routes, Jwt jwt, DevTokenEndpoint devTokens, int threadCount,
                         PrintStream log) {
        AtomicInteger counter = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(threadCount, runnable -> {
            Thread thread = new Thread(runnable, "gateway-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Gateway gateway = new Gateway(server, threads, routes, jwt, devTokens, log);
        server.createContext("/", gateway::handle);
        server.setExecutor(threads);
        server.start();
        return gateway;
    }

    URI baseUrl() {
        return baseUrl;
    }

    List<Route> routes() {
        return routes;
    }

    private void handle(HttpExchange exchange) {
        long begin = System.nanoTime();
        int status = 500;
        try {
            status = serve(exchange);
        } catch (IOException | RuntimeException e) {
            log.println("gateway: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                    + " failed: " + e);
            if (exchange.getResponseCode() == -1) {
                // nothing answered yet: answer as API Gateway would rather than drop the connection
                try {
                    status = message(exchange, 500, "Internal Server Error");
                } catch (IOException | RuntimeException ignored) {
                    // the client is gone
                }
            }
        } finally {
            exchange.close();
            log.printf("%s %s %d %d ms%n", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    status, (System.nanoTime() - begin) / 1_000_000);
        }
    }

    private int serve(HttpExchange exchange) throws IOException {
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            return message(exchange, 413, "Request Entity Too Large");
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        if (devTokens != null && devTokens.handles(uri.getRawPath())) {
            return devTokens.serve(exchange, body);
        }
        List<String> segments = Route.segments(uri.getRawPath() == null ? "/" : uri.getRawPath());
        Route route = null;
        Map<String, String> pathParameters = Map.of();
        for (Route candidate : routes) {
            if (!candidate.method().equals(method) && !candidate.method().equals("ANY")) {
                continue;
            }
            Optional<Map<String, String>> match = candidate.match(segments);
            if (match.isPresent()) {
                route = candidate;
                pathParameters = match.get();
                break;
            }
        }
        if (route == null) {
            return message(exchange, 404, "Not Found");
        }
        Map<String, Object> authorizer = null;
        if (route.authorizer() != null) {
            Map<String, Object> claims = authorize(route.authorizer(), exchange.getRequestHeaders());
            if (claims == null) {
                exchange.getResponseHeaders().add("www-authenticate", "Bearer");
                return message(exchange, 401, "Unauthorized");
            }
            List<String> scopes = scopes(claims);
            if (!route.scopes().isEmpty() && scopes.stream().noneMatch(route.scopes()::contains)) {
                return message(exchange, 403, "Forbidden");
            }
            Map<String, String> stringClaims = new LinkedHashMap<>();
            claims.forEach((name, value) -> stringClaims.put(name, claimString(value)));
            Map<String, Object> jwtContext = new LinkedHashMap<>();
            jwtContext.put("claims", stringClaims);
            jwtContext.put("scopes", scopes.isEmpty() ? null : scopes);
            authorizer = Map.of("jwt", jwtContext);
        }
        String requestId = requestId();
        Map<String, Object> event = event(exchange, route, pathParameters, authorizer, body, requestId);
        Duration limit = route.timeout().compareTo(route.function().spec().timeout()) < 0
                ? route.timeout() : route.function().spec().timeout();
        Invocation invocation = route.function().invoke(LambdaPayloads.http(event), limit);
        exchange.getResponseHeaders().add("apigw-requestid", requestId);
        if (invocation.failed()) {
            boolean integrationTimeout = invocation.errorType().equals("Sandbox.Timedout")
                    && route.timeout().compareTo(route.function().spec().timeout()) < 0;
            return integrationTimeout ? message(exchange, 503, "Service Unavailable")
                    : message(exchange, 500, "Internal Server Error");
        }
        return respond(exchange, invocation.outputText());
    }

    private Map<String, Object> authorize(Deployment.HttpApiSpec.Authorizer authorizer, Headers headers) {
        String value = headers.getFirst(authorizer.header());
        if (value == null || value.isBlank()) {
            return null;
        }
        String token = value.trim();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).trim();
        }
        try {
            return jwt.verify(token, authorizer.issuer(), authorizer.audiences(), Instant.now());
        } catch (Jwt.InvalidTokenException e) {
            log.println("gateway: authorizer " + authorizer.name() + " refused a token: " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            // a token the verifier chokes on is still only a bad token: 401, as API Gateway answers
            log.println("gateway: authorizer " + authorizer.name() + " could not verify a token: " + e);
            return null;
        }
    }

    private static List<String> scopes(Map<String, Object> claims) {
        Object scope = claims.get("scope");
        if (scope instanceof String text && !text.isBlank()) {
            return List.of(text.trim().split("\\s+"));
        }
        Object scp = claims.get("scp");
        if (scp instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    /** API Gateway hands every claim over as a string; an array as {@code [a b]}. */
    private static String claimString(Object value) {
        if (value instanceof List<?> list) {
            return "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]";
        }
        if (value instanceof Map<?, ?>) {
            return Json.write(value);
        }
        return String.valueOf(value);
    }

    private Map<String, Object> event(HttpExchange exchange, Route route, Map<String, String> pathParameters,
                                      Map<String, Object> authorizer, byte[] body, String requestId) {
        URI uri = exchange.getRequestURI();
        Instant now = Instant.now();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                for (String value : values) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                }
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        headers.putIfAbsent("x-forwarded-for", sourceIp);
        headers.putIfAbsent("x-forwarded-port", Integer.toString(exchange.getLocalAddress().getPort()));
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.putIfAbsent("x-amzn-trace-id", "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        String host = headers.getOrDefault("host", baseUrl.getAuthority());

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        http.put("path", uri.getPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", Stack.ACCOUNT_ID);
        context.put("apiId", route.apiId());
        if (authorizer != null) {
            context.put("authorizer", authorizer);
        }
        context.put("domainName", host);
        context.put("domainPrefix", host.split("[.:]", 2)[0]);
        context.put("http", http);
        context.put("requestId", requestId);
        context.put("routeKey", route.routeKey());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", route.routeKey());
        event.put("rawPath", uri.getRawPath());
        event.put("rawQueryString", uri.getRawQuery() == null ? "" : uri.getRawQuery());
        if (!cookies.isEmpty()) {
            event.put("cookies", cookies);
        }
        event.put("headers", headers);
        Map<String, String> query = query(uri.getRawQuery());
        if (!query.isEmpty()) {
            event.put("queryStringParameters", query);
        }
        event.put("requestContext", context);
        if (!pathParameters.isEmpty()) {
            event.put("pathParameters", pathParameters);
        }
        boolean binary = body.length > 0 && !isText(headers.get("content-type"));
        if (body.length > 0) {
            event.put("body", binary ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", binary);
        return event;
    }

    /** Repeated parameters are joined with commas, as API Gateway does in payload 2.0. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            query.merge(name, value, (a, b) -> a + "," + b);
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded") || type.equals("application/graphql");
    }

    /** Maps the function's answer: a response envelope, or any other JSON as a 200 JSON body. */
    private int respond(HttpExchange exchange, String output) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(output);
        } catch (JsonException e) {
            log.println("gateway: the function's response is not JSON");
            return message(exchange, 500, "Internal Server Error");
        }
        Headers responseHeaders = exchange.getResponseHeaders();
        if (!(parsed instanceof Map<?, ?> envelope) || !envelope.containsKey("statusCode")) {
            responseHeaders.set("content-type", "application/json");
            return send(exchange, 200, output.getBytes(StandardCharsets.UTF_8));
        }
        int status;
        try {
            status = Integer.parseInt(String.valueOf(envelope.get("statusCode")));
        } catch (NumberFormatException e) {
            log.println("gateway: statusCode " + envelope.get("statusCode") + " is not a number");
            return message(exchange, 500, "Internal Server Error");
        }
        if (envelope.get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((name, value) -> {
                if (value != null && !HOP_BY_HOP.contains(String.valueOf(name).toLowerCase(Locale.ROOT))) {
                    responseHeaders.set(String.valueOf(name), String.valueOf(value));
                }
            });
        }
        if (envelope.get("multiValueHeaders") instanceof Map<?, ?> headers) {
            headers.forEach((name, values) -> {
                if (values instanceof List<?> list && !HOP_BY_HOP.contains(String.valueOf(name).toLowerCase(Locale.ROOT))) {
                    list.forEach(value -> responseHeaders.add(String.valueOf(name), String.valueOf(value)));
                }
            });
        }
        if (envelope.get("cookies") instanceof List<?> cookies) {
            cookies.forEach(cookie -> responseHeaders.add("set-cookie", String.valueOf(cookie)));
        }
        Object rawBody = envelope.get("body");
        byte[] body;
        if (rawBody == null) {
            body = new byte[0];
        } else if (Boolean.TRUE.equals(envelope.get("isBase64Encoded"))) {
            try {
                body = Base64.getDecoder().decode(String.valueOf(rawBody));
            } catch (IllegalArgumentException e) {
                log.println("gateway: isBase64Encoded is true but the body is not base64");
                return message(exchange, 500, "Internal Server Error");
            }
        } else {
            body = (rawBody instanceof String text ? text : Json.write(rawBody)).getBytes(StandardCharsets.UTF_8);
        }
        return send(exchange, status, body);
    }

    private static int message(HttpExchange exchange, int status, String message) throws IOException {
        exchange.getResponseHeaders().set("content-type", "application/json");
        return send(exchange, status, Json.write(Map.of("message", message)).getBytes(StandardCharsets.UTF_8));
    }

    private static int send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean noBody = body.length == 0 || status == 204 || status == 304 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    /** Shaped like API Gateway's: 16 base64 characters. */
    private static String requestId() {
        UUID uuid = UUID.randomUUID();
        byte[] bytes = new byte[10];
        long bits = uuid.getMostSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (bits >>> (8 * i));
        }
        bytes[8] = (byte) uuid.getLeastSignificantBits();
        bytes[9] = (byte) (uuid.getLeastSignificantBits() >>> 8);
        return Base64.getEncoder().encodeToString(bytes).substring(0, 14) + "=";
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdown();
        try {
            // requests in flight finish (a Prefer: wait poll may hold one for up to 10 s): not waited for long
            threads.awaitTermination(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
    }
}
