package dev.longhaul.aws.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import dev.longhaul.aws.dynamodb.TaskItemMapper;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What the functions read from the tasks table's stream records. */
public final class StreamRecords {
    private StreamRecords() {
    }

    /** The {@code id} key of the item the record is about; null when it has none as a string. */
    public static String taskId(DynamodbEvent.DynamodbStreamRecord record) {
        if (record.getDynamodb() == null || record.getDynamodb().getKeys() == null) {
            return null;
        }
        com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue id =
                record.getDynamodb().getKeys().get(TaskItemMapper.ID);
        return id == null ? null : id.getS();
    }

    /** An item image as the SDK's attribute values, so the table's own mapper reads it. */
    public static Map<String, AttributeValue> item(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        return DynamodbAttributeValueTransformer.toAttributeValueMapV2(image);
    }
}
