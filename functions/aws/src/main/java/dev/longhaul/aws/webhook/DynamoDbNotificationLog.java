package dev.longhaul.aws.webhook;

import dev.longhaul.aws.dynamodb.TaskItemMapper;
import dev.longhaul.core.task.Notification;
import dev.longhaul.core.webhook.NotificationLog;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Appends to a task's {@code notifications} list with one {@code list_append}: no read, no
 * revision bump, no other attribute touched, and never an item created for a task that is gone.
 */
public final class DynamoDbNotificationLog implements NotificationLog {
    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbNotificationLog(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public boolean append(String taskId, Notification notification) {
        try {
            dynamoDb.updateItem(update -> update
                    .tableName(tableName)
                    .key(Map.of(TaskItemMapper.ID, AttributeValue.fromS(taskId)))
                    .updateExpression("SET #n = list_append(if_not_exists(#n, :empty), :new)")
                    .conditionExpression("attribute_exists(#id) AND attribute_exists(#owner)")
                    .expressionAttributeNames(Map.of("#n", TaskItemMapper.NOTIFICATIONS, "#id", TaskItemMapper.ID,
                            "#owner", TaskItemMapper.OWNER))
                    .expressionAttributeValues(Map.of(
                            ":empty", AttributeValue.fromL(List.of()),
                            ":new", TaskItemMapper.notifications(List.of(notification)))));
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        }
    }
}
