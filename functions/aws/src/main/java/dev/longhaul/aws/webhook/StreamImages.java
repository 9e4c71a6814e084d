package dev.longhaul.aws.webhook;

import dev.longhaul.aws.dynamodb.Attr;
import java.util.Map;

/**
 * DynamoDB JSON, as Lambda puts item images in a stream event ({@code {"S": "..."}},
 * {@code {"N": "1"}}...), turned into attribute values so the table's own mapper reads them.
 */
public final class StreamImages {
    private StreamImages() {
    }

    /** @throws IllegalArgumentException on anything that is not DynamoDB JSON */
    public static Map<String, Attr> item(Map<String, Object> image) {
        return Attr.itemFromJson(image);
    }
}
