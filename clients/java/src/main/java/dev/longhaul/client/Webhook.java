package dev.longhaul.client;

import static dev.longhaul.client.JsonCodec.instant;
import static dev.longhaul.client.JsonCodec.strings;
import static dev.longhaul.client.JsonCodec.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription.
 *
 * @param secret the signing secret ({@code whsec_...}): only in the answer to the subscribe, null
 *               when listed. Store it to build a {@link WebhookVerifier}.
 */
public record Webhook(String id, String url, List<String> events, Instant createdAt, String secret, JsonNode json) {

    public static Webhook from(JsonNode json) {
        if (json == null || !json.isObject() || text(json, "id") == null) {
            throw new IllegalArgumentException("Not a webhook representation");
        }
        return new Webhook(text(json, "id"), text(json, "url"), strings(json, "events"), instant(json, "createdAt"),
                text(json, "secret"), json.deepCopy());
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", url=" + url + ", events=" + events + "]";
    }
}
