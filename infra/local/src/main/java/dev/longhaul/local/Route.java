package dev.longhaul.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP API route, {@code METHOD /path} with {@code {param}} segments and a final greedy
 * {@code {proxy+}}, and the function it integrates with.
 *
 * @param authorizer the JWT authorizer guarding it, or null for an open route
 * @param scopes     the {@code AuthorizationScopes} a token must hold one of (empty: any)
 * @param timeout    the integration timeout ({@code TimeoutInMillis}, 30 s by default)
 */
record Route(String apiId, String method, String path, LocalFunction function,
             Deployment.HttpApiSpec.Authorizer authorizer, List<String> scopes, Duration timeout) {

    private static final int LITERAL = 3;
    private static final int PARAMETER = 2;
    private static final int GREEDY = 1;

    Route {
        method = method.toUpperCase(Locale.ROOT);
        if (method.equals("X-AMAZON-APIGATEWAY-ANY-METHOD")) {
            method = "ANY";
        }
        scopes = List.copyOf(scopes);
    }

    String routeKey() {
        return path.equals("$default") ? "$default" : method + " " + path;
    }

    /** The path parameters when {@code requestPath} (decoded segments) matches, else empty. */
    Optional<Map<String, String>> match(List<String> requestSegments) {
        if (path.equals("$default")) {
            return Optional.of(Map.of());
        }
        List<String> segments = segments(path);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (isGreedy(segment)) {
                if (i >= requestSegments.size()) {
                    return Optional.empty();
                }
                parameters.put(name(segment), String.join("/", requestSegments.subList(i, requestSegments.size())));
                return Optional.of(parameters);
            }
            if (i >= requestSegments.size()) {
                return Optional.empty();
            }
            if (isParameter(segment)) {
                if (requestSegments.get(i).isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(name(segment), requestSegments.get(i));
            } else if (!segment.equals(requestSegments.get(i))) {
                return Optional.empty();
            }
        }
        return segments.size() == requestSegments.size() ? Optional.of(parameters) : Optional.empty();
    }

    /**
     * API Gateway's precedence: a literal segment beats a parameter, which beats a greedy one, segment
     * by segment from the left; an exact method beats ANY; {@code $default} comes last.
     */
    static Comparator<Route> precedence() {
        return Comparator.<Route, List<Integer>>comparing(route -> route.rank(), Route::compareRanks)
                .thenComparing(route -> route.method.equals("ANY") ? 0 : 1)
                .reversed();
    }

    private List<Integer> rank() {
        List<Integer> rank = new ArrayList<>();
        if (path.equals("$default")) {
            return rank;
        }
        for (String segment : segments(path)) {
            rank.add(isGreedy(segment) ? GREEDY : isParameter(segment) ? PARAMETER : LITERAL);
        }
        return rank;
    }

    private static int compareRanks(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int compared = Integer.compare(a.get(i), b.get(i));
            if (compared != 0) {
                return compared;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** The decoded segments of a path; {@code /} has none. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            return segments;
        }
        for (String segment : trimmed.split("/", -1)) {
            segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return segments;
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static boolean isGreedy(String segment) {
        return segment.startsWith("{") && segment.endsWith("+}");
    }

    private static String name(String segment) {
        return segment.substring(1, segment.length() - (isGreedy(segment) ? 2 : 1));
    }
}
