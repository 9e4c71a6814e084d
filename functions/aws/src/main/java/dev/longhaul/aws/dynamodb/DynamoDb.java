package dev.longhaul.aws.dynamodb;

import dev.longhaul.aws.client.AwsResponse;
import dev.longhaul.aws.client.AwsServiceException;
import dev.longhaul.aws.client.JsonProtocol;
import dev.longhaul.aws.client.ServiceClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DynamoDB operations Longhaul uses, over the JSON 1.0 protocol: a request is the
 * operation's JSON document, built with {@link Request}, and items are {@link Attr} maps.
 */
public final class DynamoDb {
    private final JsonProtocol protocol;

    public DynamoDb(ServiceClient client, URI endpoint) {
        this.protocol = new JsonProtocol(client, endpoint, "DynamoDB_20120810.");
    }

    /** Where requests go. */
    public URI endpoint() {
        return protocol.endpoint();
    }

    /** The item, or null when there is none. */
    public Map<String, Attr> getItem(Request request) {
        return itemOrNull(call("GetItem", request.json).get("Item"));
    }

    /** @throws ConditionalCheckFailedException when the request's condition does not hold */
    public void putItem(Request request) {
        call("PutItem", request.json);
    }

    /** @throws ConditionalCheckFailedException when the request's condition does not hold */
    public void updateItem(Request request) {
        call("UpdateItem", request.json);
    }

    /** @throws ConditionalCheckFailedException when the request's condition does not hold */
    public void deleteItem(Request request) {
        call("DeleteItem", request.json);
    }

    @SuppressWarnings("unchecked")
    public Page query(Request request) {
        Map<String, Object> response = call("Query", request.json);
        List<Map<String, Attr>> items = new ArrayList<>();
        Object raw = response.get("Items");
        if (raw instanceof List) {
            for (Object item : (List<Object>) raw) {
                items.add(Attr.itemFromJson((Map<String, Object>) item));
            }
        }
        return new Page(items, itemOrNull(response.get("LastEvaluatedKey")));
    }

    /**
     * Items of one table by key, all of them: unprocessed keys are asked for again, at most ten
     * rounds.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Attr>> batchGetItem(String table, List<Map<String, Attr>> keys, boolean consistentRead) {
        List<Map<String, Attr>> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 100) {
            List<Object> chunk = new ArrayList<>();
            for (Map<String, Attr> key : keys.subList(from, Math.min(keys.size(), from + 100))) {
                chunk.add(Attr.toJson(key));
            }
            Map<String, Object> pending = Map.of(table, Map.of("Keys", chunk, "ConsistentRead", consistentRead));
            for (int round = 0; !pending.isEmpty(); round++) {
                if (round == 10) {
                    throw new IllegalStateException("keys still unprocessed after 10 batch reads");
                }
                Map<String, Object> response = call("BatchGetItem", Map.of("RequestItems", pending));
                Object responses = response.get("Responses");
                if (responses instanceof Map) {
                    Object items = ((Map<String, Object>) responses).get(table);
                    if (items instanceof List) {
                        for (Object item : (List<Object>) items) {
                            found.add(Attr.itemFromJson((Map<String, Object>) item));
                        }
                    }
                }
                Object unprocessed = response.get("UnprocessedKeys");
                pending = unprocessed instanceof Map ? (Map<String, Object>) unprocessed : Map.of();
            }
        }
        return found;
    }

    /**
     * One transaction. It carries a fresh {@code ClientRequestToken}, the same on every retry
     * (the body is built once): a retry after a lost response is answered as the first attempt
     * was, instead of failing its own conditions against what the first attempt wrote.
     *
     * @throws TransactionCanceledException with a reason per write when any condition fails
     */
    public void transactWriteItems(List<TransactItem> writes) {
        List<Object> items = new ArrayList<>(writes.size());
        for (TransactItem write : writes) {
            items.add(Map.of(write.kind(), write.request().json));
        }
        call("TransactWriteItems", Map.of("TransactItems", items,
                "ClientRequestToken", java.util.UUID.randomUUID().toString()));
    }

    /** Any operation, JSON in and out (for what the typed methods do not cover). */
    public Map<String, Object> call(String operation, Map<String, Object> request) {
        return protocol.call(operation, request);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Attr> itemOrNull(Object raw) {
        if (!(raw instanceof Map) || ((Map<String, Object>) raw).isEmpty()) {
            return null;
        }
        return Attr.itemFromJson((Map<String, Object>) raw);
    }

    /** Reads DynamoDB's JSON errors: {@code {"__type": "...#Code", "message": "..."}}. */
    @SuppressWarnings("unchecked")
    public static AwsServiceException error(String operation, AwsResponse response) {
        if (response.ok()) {
            return null;
        }
        Map<String, Object> json = JsonProtocol.errorBody(response);
        String code = JsonProtocol.errorCode(json, response);
        String message = JsonProtocol.errorMessage(json);
        if ("ConditionalCheckFailedException".equals(code)) {
            return new ConditionalCheckFailedException(operation, response.status(), message);
        }
        if ("TransactionCanceledException".equals(code)) {
            List<TransactionCanceledException.Reason> reasons = new ArrayList<>();
            Object raw = json.get("CancellationReasons");
            if (raw instanceof List) {
                for (Object r : (List<Object>) raw) {
                    Map<String, Object> reason = (Map<String, Object>) r;
                    reasons.add(new TransactionCanceledException.Reason((String) reason.get("Code"),
                            (String) reason.get("Message"), itemOrNull(reason.get("Item"))));
                }
            }
            return new TransactionCanceledException(operation, response.status(), message, reasons);
        }
        return new AwsServiceException("DynamoDb", operation, response.status(), code, message);
    }

    /** One page of a query: its items and where the next one starts (null after the last). */
    public record Page(List<Map<String, Attr>> items, Map<String, Attr> lastEvaluatedKey) {
    }

    /** One write of a transaction: {@code Put}, {@code Update}, {@code Delete} or {@code ConditionCheck}. */
    public record TransactItem(String kind, Request request) {
        public static TransactItem put(Request request) {
            return new TransactItem("Put", request);
        }

        public static TransactItem update(Request request) {
            return new TransactItem("Update", request);
        }

        public static TransactItem delete(Request request) {
            return new TransactItem("Delete", request);
        }
    }

    /** A request document, field by field, in DynamoDB's own names. */
    public static final class Request {
        private final Map<String, Object> json = new LinkedHashMap<>();

        private Request(String table) {
            json.put("TableName", table);
        }

        public static Request table(String table) {
            return new Request(table);
        }

        public Request key(Map<String, Attr> key) {
            json.put("Key", Attr.toJson(key));
            return this;
        }

        public Request item(Map<String, Attr> item) {
            json.put("Item", Attr.toJson(item));
            return this;
        }

        public Request condition(String expression) {
            if (expression != null) {
                json.put("ConditionExpression", expression);
            }
            return this;
        }

        public Request update(String expression) {
            json.put("UpdateExpression", expression);
            return this;
        }

        public Request names(Map<String, String> names) {
            if (names != null && !names.isEmpty()) {
                json.put("ExpressionAttributeNames", names);
            }
            return this;
        }

        public Request values(Map<String, Attr> values) {
            if (values != null && !values.isEmpty()) {
                json.put("ExpressionAttributeValues", Attr.toJson(values));
            }
            return this;
        }

        public Request consistentRead() {
            json.put("ConsistentRead", true);
            return this;
        }

        /** On a failed condition, the item as it was comes back in the cancellation reason. */
        public Request returnOldItemOnConditionFailure() {
            json.put("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
            return this;
        }

        public Request index(String index) {
            json.put("IndexName", index);
            return this;
        }

        public Request keyCondition(String expression) {
            json.put("KeyConditionExpression", expression);
            return this;
        }

        public Request filter(String expression) {
            json.put("FilterExpression", expression);
            return this;
        }

        public Request descending() {
            json.put("ScanIndexForward", false);
            return this;
        }

        public Request limit(int limit) {
            json.put("Limit", limit);
            return this;
        }

        public Request startAfter(Map<String, Attr> key) {
            if (key != null) {
                json.put("ExclusiveStartKey", Attr.toJson(key));
            }
            return this;
        }

        /** The document as it will be sent. */
        public Map<String, Object> json() {
            return json;
        }
    }
}
