package dev.longhaul.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longhaul.client.LonghaulException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** How the command prints: JSON for --json, and the small text forms for people. */
final class Output {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Output() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON array of the nodes, one per line. */
    static String array(List<JsonNode> nodes) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < nodes.size(); i++) {
            text.append(i == 0 ? "\n" : ",\n").append(json(nodes.get(i)));
        }
        return text.append(nodes.isEmpty() ? "]" : "\n]").toString();
    }

    /** The problem the API answered, as received (an answer without one gets the same members). */
    static String problem(LonghaulException e) {
        if (e.problem().has("code")) {
            return json(e.problem());
        }
        ObjectNode problem = object();
        problem.put("status", e.status());
        problem.put("code", e.code());
        problem.put("detail", e.detail());
        return json(problem);
    }

    /** What a delete prints for --json. */
    static ObjectNode deleted(String id) {
        ObjectNode deleted = object();
        deleted.put("id", id);
        deleted.put("deleted", true);
        return deleted;
    }

    static String networkError(String message) {
        ObjectNode error = object();
        error.put("code", "network-error");
        error.put("detail", message);
        return json(error);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        long rest = seconds % 60;
        return hours > 0 ? String.format("%d:%02d:%02d", hours, minutes, rest) : String.format("%d:%02d", minutes, rest);
    }

    static String instant(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
