package dev.longhaul.client;

import static dev.longhaul.client.JsonCodec.bool;
import static dev.longhaul.client.JsonCodec.instant;
import static dev.longhaul.client.JsonCodec.integer;
import static dev.longhaul.client.JsonCodec.longValue;
import static dev.longhaul.client.JsonCodec.member;
import static dev.longhaul.client.JsonCodec.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A task as the API represents it. The members this client knows are typed; every member,
 * including those added to the API after this client was built (name, queue, parent, ...), is in
 * {@link #json()}, the representation as received.
 *
 * @param progress   percent done, null until the task first runs
 * @param parameters the validated parameters of its type, defaults filled in
 * @param eta        estimated completion while running, else null
 * @param error      why it failed, null unless failed
 * @param result     what it produced, null unless succeeded
 * @param callback   only in the answer to a create with a callback URL
 * @param revision   grows with every change
 * @param json       the whole representation as received
 */
public record Task(
        String id,
        String type,
        TaskStatus status,
        Integer progress,
        String description,
        JsonNode parameters,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant expiresAt,
        Instant eta,
        int attempts,
        TaskError error,
        TaskResult result,
        boolean cancelRequested,
        long revision,
        TaskCallback callback,
        JsonNode json) {

    /** Reads a task representation; members it does not know are kept in {@link #json()} only. */
    public static Task from(JsonNode json) {
        if (json == null || !json.isObject() || text(json, "id") == null) {
            throw new IllegalArgumentException("Not a task representation");
        }
        JsonNode error = member(json, "error");
        JsonNode result = member(json, "result");
        JsonNode callback = member(json, "callback");
        String status = text(json, "status");
        return new Task(
                text(json, "id"),
                text(json, "type"),
                status == null ? null : TaskStatus.of(status),
                integer(json, "progress"),
                text(json, "description"),
                member(json, "parameters"),
                instant(json, "createdAt"),
                instant(json, "updatedAt"),
                instant(json, "startedAt"),
                instant(json, "finishedAt"),
                instant(json, "expiresAt"),
                instant(json, "eta"),
                (int) longValue(json, "attempts"),
                error == null ? null : new TaskError(text(error, "code"), text(error, "message")),
                result == null ? null : new TaskResult(text(result, "contentType"), longValue(result, "size")),
                bool(json, "cancelRequested"),
                longValue(json, "revision"),
                callback == null ? null : new TaskCallback(text(callback, "url"), text(callback, "secret")),
                json.deepCopy());
    }

    /** A member of the representation by name, or null: for members this client has no accessor for yet. */
    public JsonNode get(String name) {
        return member(json, name);
    }

    /** Succeeded, failed or cancelled. */
    public boolean isTerminal() {
        return status != null && status.isTerminal();
    }

    @Override
    public String toString() {
        return "Task[id=" + id + ", type=" + type + ", status=" + status + ", progress=" + progress
                + (error == null ? "" : ", error=" + error.code()) + "]";
    }
}
