package dev.longhaul.aws.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Strongly consistent batch reads of one table (at most 100 keys), unprocessed keys read again. */
public final class BatchReads {
    private static final int MAX_ROUNDS = 10;

    private BatchReads() {
    }

    /** The items found for {@code keys}, in no particular order; missing keys are simply absent. */
    public static List<Map<String, AttributeValue>> items(DynamoDbClient dynamoDb, String tableName,
            List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (keys.isEmpty()) {
            return items;
        }
        Map<String, KeysAndAttributes> pending = Map.of(tableName,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round == MAX_ROUNDS) {
                throw new IllegalStateException("items of " + tableName + " still unprocessed after "
                        + MAX_ROUNDS + " batch reads");
            }
            Map<String, KeysAndAttributes> request = pending;
            BatchGetItemResponse response = dynamoDb.batchGetItem(batch -> batch.requestItems(request));
            items.addAll(response.responses().getOrDefault(tableName, List.of()));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return items;
    }
}
