package dev.longhaul.aws.dynamodb;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * An owner's bounded set of ids (its webhook subscriptions, its schedules): one item whose
 * {@code ids} string set is added to, with the limit as the condition, in the same transaction
 * as the thing it counts, and removed from with it.
 */
public final class OwnerIdSets {
    public static final String IDS = "ids";

    private OwnerIdSets() {
    }

    /** Adds {@code id} to the set under {@code key}, failing the transaction when it holds {@code max} already. */
    public static TransactWriteItem add(String tableName, Map<String, AttributeValue> key, String id, int max) {
        return TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(key)
                .updateExpression("ADD #ids :id")
                .conditionExpression("attribute_not_exists(#ids) OR size(#ids) < :max")
                .expressionAttributeNames(Map.of("#ids", IDS))
                .expressionAttributeValues(Map.of(
                        ":id", AttributeValue.fromSs(List.of(id)),
                        ":max", AttributeValue.fromN(Integer.toString(max))))).build();
    }

    /** Removes {@code id} from the set under {@code key}. */
    public static TransactWriteItem remove(String tableName, Map<String, AttributeValue> key, String id) {
        return TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(key)
                .updateExpression("DELETE #ids :id")
                .expressionAttributeNames(Map.of("#ids", IDS))
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(id))))).build();
    }

    /** Whether the transaction's item at {@code index} failed its condition. */
    public static boolean failedAt(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }
}
