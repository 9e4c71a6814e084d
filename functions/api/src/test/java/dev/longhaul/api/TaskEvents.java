package dev.longhaul.api;

import dev.longhaul.core.testing.SampleEvents;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * API events for the task routes, adapted in memory from the sample events in {@code events/}
 * (another query, body, header or caller), so tests and {@code sam local invoke} share one shape.
 */
final class TaskEvents {
    static final String ALICE = "user-alice";

    private TaskEvents() {
    }

    /** {@code GET /v1/tasks} with exactly these query parameters. */
    static Map<String, Object> list(Map<String, String> query) {
        Map<String, Object> event = SampleEvents.load("api-list-tasks.json");
        event.put("rawQueryString", query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&")));
        if (query.isEmpty()) {
            event.remove("queryStringParameters");
        } else {
            event.put("queryStringParameters", new LinkedHashMap<>(query));
        }
        return event;
    }

    static Map<String, Object> list(String... pairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return list(query);
    }

    static Map<String, Object> create(String body) {
        return SampleEvents.withBody("api-create-task.json", body);
    }

    static Map<String, Object> createIdempotent(String key, String body) {
        Map<String, Object> event = SampleEvents.withBody("api-create-task-idempotent.json", body);
        return withHeader(event, "idempotency-key", key);
    }

    static Map<String, Object> get(String id) {
        return SampleEvents.forTask("api-get-task.json", id);
    }

    static Map<String, Object> cancel(String id) {
        return SampleEvents.forTask("api-cancel-task.json", id);
    }

    static Map<String, Object> delete(String id) {
        return SampleEvents.forTask("api-delete-task.json", id);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> withHeader(Map<String, Object> event, String name, String value) {
        ((Map<String, Object>) event.get("headers")).put(name, value);
        return event;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> as(String owner, Map<String, Object> event) {
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        Map<String, Object> claims = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                context.get("authorizer")).get("jwt")).get("claims");
        claims.put("sub", owner);
        return event;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
