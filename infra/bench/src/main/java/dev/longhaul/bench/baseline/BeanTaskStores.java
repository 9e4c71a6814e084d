package dev.longhaul.bench.baseline;

import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.dynamodb.TaskItemMapper;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
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

/**
 * The task store the way the SDK's documentation leads: {@code DynamoDbEnhancedClient} with
 * {@code TableSchema.fromBean}. Reads and the non-terminal conditional writes (claim, progress)
 * go through the bean table; the rest (admission, terminal writes, deletes, queries) is left to
 * the functions' own adapter on the same defaults-built client, so the item layout and the
 * semantics stay those of the real store whatever the port grows.
 */
public final class BeanTaskStores {
    private static final String REPLACE_CONDITION = "#revision = :expected AND #status IN (:queued, :running)";

    private BeanTaskStores() {
    }

    public static TaskStore create(DynamoDbClient dynamoDb, String tableName) {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        TableSchema<TaskBean> schema = TableSchema.fromBean(TaskBean.class);
        DynamoDbTable<TaskBean> table = enhanced.table(tableName, schema);
        TaskStore adapter = new DynamoDbTaskStore(dynamoDb, tableName);
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("find") && args != null && args.length == 1) {
                return find(table, schema, (String) args[0]);
            }
            if (method.getName().equals("replace") && args != null && args.length == 1
                    && !((Task) args[0]).isTerminal()) {
                return replace(table, schema, (Task) args[0]);
            }
            return forward(adapter, method, args);
        };
        return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
                new Class<?>[] {TaskStore.class}, handler);
    }

    private static Optional<Task> find(DynamoDbTable<TaskBean> table, TableSchema<TaskBean> schema, String id) {
        TaskBean bean = table.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(id).build()).consistentRead(true).build());
        return bean == null ? Optional.empty() : Optional.of(TaskItemMapper.fromItem(schema.itemToMap(bean, true)));
    }

    private static boolean replace(DynamoDbTable<TaskBean> table, TableSchema<TaskBean> schema, Task next) {
        TaskBean bean = schema.mapToItem(TaskItemMapper.toItem(next));
        try {
            table.putItem(PutItemEnhancedRequest.builder(TaskBean.class)
                    .item(bean)
                    .conditionExpression(Expression.builder()
                            .expression(REPLACE_CONDITION)
                            .expressionNames(Map.of("#revision", TaskItemMapper.REVISION,
                                    "#status", TaskItemMapper.STATUS))
                            .expressionValues(Map.of(
                                    ":expected", AttributeValue.fromN(Long.toString(next.revision() - 1)),
                                    ":queued", AttributeValue.fromS(TaskStatus.QUEUED.wire()),
                                    ":running", AttributeValue.fromS(TaskStatus.RUNNING.wire())))
                            .build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Object forward(TaskStore adapter, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(adapter, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
