package dev.longhaul.bench.baseline;

import dev.longhaul.aws.dynamodb.TaskItemMapper;
import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.port.TaskPage;
import dev.longhaul.core.port.TaskQuery;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The task store the way the SDK's documentation leads, for the cold-start baseline only:
 * {@code DynamoDbEnhancedClient} with {@code TableSchema.fromBean} for reads and the
 * non-terminal conditional writes (claim, progress), the low-level client for the transactions
 * (create with the owner's count, terminal write with its release). The item layout is the
 * functions' own ({@code TaskItemMapper}). Only what the benchmark's create and worker events
 * reach is implemented; the rest refuses, so a benchmark that grew past it fails loudly.
 */
final class SdkTaskStore implements TaskStore {
    private static final String REPLACE_CONDITION = "#revision = :expected AND #status IN (:queued, :running)";
    private static final Map<String, String> REPLACE_NAMES =
            Map.of("#revision", TaskItemMapper.REVISION, "#status", TaskItemMapper.STATUS);

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final TableSchema<TaskBean> schema = TableSchema.fromBean(TaskBean.class);
    private final DynamoDbTable<TaskBean> table;

    SdkTaskStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.table = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build().table(tableName, schema);
    }

    @Override
    public void create(Task task, Admission admission) {
        if (admission.idempotency() != null) {
            throw new UnsupportedOperationException("the baseline does not store idempotency keys");
        }
        dynamoDb.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().put(put -> put.tableName(tableName)
                        .item(SdkItems.toSdk(TaskItemMapper.toItem(task)))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", TaskItemMapper.ID))).build(),
                counter(task.owner(), "SET #active = if_not_exists(#active, :zero) + :one",
                        Map.of(":one", AttributeValue.fromN("1"), ":zero", AttributeValue.fromN("0")))));
    }

    @Override
    public Optional<Task> find(String id) {
        TaskBean bean = table.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(id).build()).consistentRead(true).build());
        return bean == null ? Optional.empty()
                : Optional.of(TaskItemMapper.fromItem(SdkItems.fromSdk(schema.itemToMap(bean, true))));
    }

    @Override
    public boolean replace(Task next) {
        Map<String, AttributeValue> values = Map.of(
                ":expected", AttributeValue.fromN(Long.toString(next.revision() - 1)),
                ":queued", AttributeValue.fromS(TaskStatus.QUEUED.wire()),
                ":running", AttributeValue.fromS(TaskStatus.RUNNING.wire()));
        Map<String, AttributeValue> item = SdkItems.toSdk(TaskItemMapper.toItem(next));
        try {
            if (!next.isTerminal()) {
                table.putItem(PutItemEnhancedRequest.builder(TaskBean.class)
                        .item(schema.mapToItem(item))
                        .conditionExpression(Expression.builder().expression(REPLACE_CONDITION)
                                .expressionNames(REPLACE_NAMES).expressionValues(values).build())
                        .build());
            } else {
                dynamoDb.transactWriteItems(t -> t.transactItems(
                        TransactWriteItem.builder().put(put -> put.tableName(tableName).item(item)
                                .conditionExpression(REPLACE_CONDITION)
                                .expressionAttributeNames(REPLACE_NAMES)
                                .expressionAttributeValues(values)).build(),
                        counter(next.owner(), "ADD #active :minusOne", Map.of(":minusOne", AttributeValue.fromN("-1")))));
            }
            return true;
        } catch (ConditionalCheckFailedException | TransactionCanceledException e) {
            return false;
        }
    }

    private TransactWriteItem counter(String owner, String update, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(Map.of(TaskItemMapper.ID, AttributeValue.fromS("owner#" + owner)))
                .updateExpression(update)
                .expressionAttributeNames(Map.of("#active", "active"))
                .expressionAttributeValues(values)).build();
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyKey(String owner, String key) {
        return Optional.empty();
    }

    @Override
    public boolean delete(Task current) {
        throw unused("delete");
    }

    @Override
    public void undoCreate(Task task, Admission admission) {
        throw unused("undoCreate");
    }

    @Override
    public TaskPage list(String owner, TaskQuery query) {
        throw unused("list");
    }

    @Override
    public List<Task> dueForSweep(Instant now, int limit) {
        throw unused("dueForSweep");
    }

    private static UnsupportedOperationException unused(String operation) {
        return new UnsupportedOperationException(operation + " is not reached by the cold-start benchmark");
    }
}
