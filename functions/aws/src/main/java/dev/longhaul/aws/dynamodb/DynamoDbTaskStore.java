package dev.longhaul.aws.dynamodb;

import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Tasks in one DynamoDB table keyed by {@code id}. Every write of an existing task is a full
 * PutItem guarded by the revision it was derived from and by the stored status still being
 * active, so a stale or late writer changes nothing and a terminal state is final.
 */
public final class DynamoDbTaskStore implements TaskStore {
    private static final String REPLACE_CONDITION = "#revision = :expected AND #status IN (:queued, :running)";
    private static final Map<String, String> REPLACE_NAMES =
            Map.of("#revision", TaskItemMapper.REVISION, "#status", TaskItemMapper.STATUS);
    private static final AttributeValue QUEUED = AttributeValue.fromS(TaskStatus.QUEUED.wire());
    private static final AttributeValue RUNNING = AttributeValue.fromS(TaskStatus.RUNNING.wire());

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbTaskStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    /** @throws TaskAlreadyExistsException when a task with this id is already stored */
    @Override
    public void create(Task task) {
        try {
            dynamoDb.putItem(put -> put
                    .tableName(tableName)
                    .item(TaskItemMapper.toItem(task))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID)));
        } catch (ConditionalCheckFailedException e) {
            throw new TaskAlreadyExistsException(task.id(), e);
        }
    }

    @Override
    public Optional<Task> find(String id) {
        GetItemResponse response = dynamoDb.getItem(get -> get
                .tableName(tableName)
                .key(key(id))
                .consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(TaskItemMapper.fromItem(response.item()))
                : Optional.empty();
    }

    @Override
    public boolean replace(Task next) {
        try {
            dynamoDb.putItem(put -> put
                    .tableName(tableName)
                    .item(TaskItemMapper.toItem(next))
                    .conditionExpression(REPLACE_CONDITION)
                    .expressionAttributeNames(REPLACE_NAMES)
                    .expressionAttributeValues(Map.of(
                            ":expected", AttributeValue.fromN(Long.toString(next.revision() - 1)),
                            ":queued", QUEUED,
                            ":running", RUNNING)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void delete(String id) {
        dynamoDb.deleteItem(delete -> delete.tableName(tableName).key(key(id)));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(TaskItemMapper.ID, AttributeValue.fromS(id));
    }
}
