package dev.longhaul.client;

import static dev.longhaul.client.JsonCodec.bool;
import static dev.longhaul.client.JsonCodec.member;
import static dev.longhaul.client.JsonCodec.text;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A job type the deployment runs, from {@code GET /v1/task-types}.
 *
 * @param parameters the JSON Schema (2020-12) object schema of its parameters, or null
 * @param json       the entry as received
 */
public record TaskType(String type, String description, String contentType, JsonNode parameters,
        boolean resumable, JsonNode json) {

    public static TaskType from(JsonNode json) {
        if (json == null || !json.isObject() || text(json, "type") == null) {
            throw new IllegalArgumentException("Not a task type");
        }
        return new TaskType(text(json, "type"), text(json, "description"), text(json, "contentType"),
                member(json, "parameters"), bool(json, "resumable"), json.deepCopy());
    }
}
