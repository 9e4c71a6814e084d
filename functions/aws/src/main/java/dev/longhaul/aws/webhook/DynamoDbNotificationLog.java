package dev.longhaul.aws.webhook;

import dev.longhaul.aws.dynamodb.Attr;
import dev.longhaul.aws.dynamodb.ConditionalCheckFailedException;
import dev.longhaul.aws.dynamodb.DynamoDb;
import dev.longhaul.aws.dynamodb.DynamoDb.Request;
import dev.longhaul.aws.dynamodb.TaskItemMapper;
import dev.longhaul.core.task.Notification;
import dev.longhaul.core.webhook.NotificationLog;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Appends to a task's {@code notifications} list with one {@code list_append}: no read, no
 * revision bump, no other attribute touched, and never an item created for a task that is gone.
 */
public final class DynamoDbNotificationLog implements NotificationLog {
    private final DynamoDb dynamoDb;
    private final String tableName;

    public DynamoDbNotificationLog(DynamoDb dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public boolean append(String taskId, Notification notification) {
        try {
            dynamoDb.updateItem(Request.table(tableName)
                    .key(Map.of(TaskItemMapper.ID, Attr.fromS(taskId)))
                    .update("SET #n = list_append(if_not_exists(#n, :empty), :new)")
                    .condition("attribute_exists(#id) AND attribute_exists(#owner)")
                    .names(Map.of("#n", TaskItemMapper.NOTIFICATIONS, "#id", TaskItemMapper.ID,
                            "#owner", TaskItemMapper.OWNER))
                    .values(Map.of(
                            ":empty", Attr.fromL(List.of()),
                            ":new", TaskItemMapper.notifications(List.of(notification)))));
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        }
    }
}
