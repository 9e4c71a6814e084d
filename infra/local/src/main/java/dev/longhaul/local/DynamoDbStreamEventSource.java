package dev.longhaul.local;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lambda's DynamoDB stream event source mapping: reads every shard of the table's stream from
 * {@code StartingPosition}, invokes the function with batches of up to {@code BatchSize} records in
 * the Lambda DynamoDB event format ({@code userIdentity} included on TTL deletions), and retries a
 * failed batch (from the first failed record with {@code ReportBatchItemFailures}) until it succeeds
 * or {@code MaximumRetryAttempts} is spent, blocking its shard meanwhile as Lambda does.
 */
final class DynamoDbStreamEventSource implements EventSource {

    private static final long IDLE_MILLIS = 250;
    private static final long SHARD_REFRESH_MILLIS = 2000;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final LocalFunction function;
    private final String eventName;
    private final String tableName;
    private final String streamArn;
    private final String region;
    private final DynamoDbStreamsClient streams;
    private final PrintStream log;
    private final int batchSize;
    private final long windowMillis;
    private final boolean latest;
    private final boolean reportFailures;
    private final int maxRetries;
    private final EventFilter filter;
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final Map<String, List<Map<String, Object>>> pending = new LinkedHashMap<>();
    private final Map<String, Long> pendingSince = new LinkedHashMap<>();
    private Thread reader;
    private volatile boolean running;

    DynamoDbStreamEventSource(LocalFunction function, FunctionSpec.EventSpec event, String tableName, String streamArn,
                              String region, DynamoDbStreamsClient streams, PrintStream log) {
        Map<String, Object> properties = event.properties();
        this.function = function;
        this.eventName = event.name();
        this.tableName = tableName;
        this.streamArn = streamArn;
        this.region = region;
        this.streams = streams;
        this.log = log;
        this.batchSize = Integer.parseInt(String.valueOf(properties.getOrDefault("BatchSize", 100)));
        this.windowMillis = 1000L * Long.parseLong(String.valueOf(properties.getOrDefault("MaximumBatchingWindowInSeconds", 0)));
        this.latest = "LATEST".equals(String.valueOf(properties.getOrDefault("StartingPosition", "LATEST")));
        this.reportFailures = properties.get("FunctionResponseTypes") instanceof List<?> types
                && types.contains(SqsEventSource.REPORT_BATCH_ITEM_FAILURES);
        this.maxRetries = Integer.parseInt(String.valueOf(properties.getOrDefault("MaximumRetryAttempts", -1)));
        this.filter = EventFilter.of(properties.get("FilterCriteria"));
    }

    @Override
    public String describe() {
        return "DynamoDB stream of " + tableName + " -> " + function.spec().logicalId() + "." + eventName + " (from "
                + (latest ? "LATEST" : "TRIM_HORIZON") + ", batch " + batchSize + (filter.isEmpty() ? "" : ", filtered") + ")";
    }

    @Override
    public void start() {
        running = true;
        // Shards that exist now start at StartingPosition; shards found later start at their beginning.
        refreshShards(true);
        reader = new Thread(this::read, "stream-" + function.spec().logicalId() + "-" + eventName);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        long lastRefresh = System.currentTimeMillis();
        while (running) {
            try {
                if (System.currentTimeMillis() - lastRefresh > SHARD_REFRESH_MILLIS) {
                    refreshShards(false);
                    lastRefresh = System.currentTimeMillis();
                }
                boolean busy = false;
                for (String shardId : List.copyOf(iterators.keySet())) {
                    busy |= readShard(shardId);
                }
                if (!busy) {
                    Thread.sleep(IDLE_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.println(function.spec().logicalId() + ": reading the stream of " + tableName + " failed: " + e.getMessage());
                sleepQuietly(1000);
            }
        }
    }

    private void refreshShards(boolean atStartingPosition) {
        String from = null;
        do {
            String start = from;
            var description = streams.describeStream(describe -> describe.streamArn(streamArn).exclusiveStartShardId(start))
                    .streamDescription();
            for (Shard shard : description.shards()) {
                String id = shard.shardId();
                if (iterators.containsKey(id) || finished.contains(id)) {
                    continue;
                }
                boolean closed = shard.sequenceNumberRange() != null && shard.sequenceNumberRange().endingSequenceNumber() != null;
                boolean fromLatest = atStartingPosition && latest;
                if (fromLatest && closed) {
                    // LATEST skips what was written before: a closed shard has nothing newer.
                    finished.add(id);
                    continue;
                }
                ShardIteratorType iteratorType = fromLatest ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON;
                iterators.put(id, streams.getShardIterator(get -> get.streamArn(streamArn).shardId(id)
                        .shardIteratorType(iteratorType)).shardIterator());
            }
            from = description.lastEvaluatedShardId();
        } while (from != null);
    }

    /** Reads one page of the shard and delivers what is due; true when it found records. */
    private boolean readShard(String shardId) throws InterruptedException {
        String iterator = iterators.get(shardId);
        List<Map<String, Object>> batch = pending.computeIfAbsent(shardId, id -> new ArrayList<>());
        boolean found = false;
        if (iterator != null && batch.size() < batchSize) {
            var page = getRecords(shardId, iterator);
            if (page == null) {
                return false;
            }
            for (Record record : page.records()) {
                Map<String, Object> event = record(record);
                if (filter.matches(event)) {
                    batch.add(event);
                }
                found = true;
            }
            iterators.put(shardId, page.nextShardIterator());
        }
        if (!batch.isEmpty()) {
            pendingSince.putIfAbsent(shardId, System.currentTimeMillis());
        }
        boolean due = batch.size() >= batchSize || iterators.get(shardId) == null
                || System.currentTimeMillis() - pendingSince.getOrDefault(shardId, 0L) >= windowMillis;
        while (!batch.isEmpty() && due && running) {
            List<Map<String, Object>> chunk = new ArrayList<>(batch.subList(0, Math.min(batchSize, batch.size())));
            deliver(chunk);
            batch.subList(0, chunk.size()).clear();
            pendingSince.remove(shardId);
        }
        if (iterators.get(shardId) == null && batch.isEmpty()) {
            iterators.remove(shardId);
            pending.remove(shardId);
            finished.add(shardId);
        }
        return found;
    }

    private software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse getRecords(String shardId, String iterator) {
        try {
            return streams.getRecords(get -> get.shardIterator(iterator).limit(Math.min(1000, batchSize)));
        } catch (ExpiredIteratorException e) {
            iterators.put(shardId, streams.getShardIterator(get -> get.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
            return null;
        }
    }

    /** Invokes until the batch succeeds or the retries are spent; with partial failures, from the first failed record. */
    private void deliver(List<Map<String, Object>> records) throws InterruptedException {
        List<Map<String, Object>> remaining = records;
        int attempt = 0;
        long backoff = 500;
        while (running) {
            Invocation invocation = function.invoke(LambdaPayloads.dynamoDbStream(Map.of("Records", remaining)));
            int failedFrom = invocation.failed() ? 0 : firstFailure(invocation.outputText(), remaining);
            if (failedFrom < 0) {
                return;
            }
            attempt++;
            if (maxRetries >= 0 && attempt > maxRetries) {
                log.printf("%s.%s: %d stream records of %s discarded after %d retries%n", function.spec().logicalId(),
                        eventName, remaining.size() - failedFrom, tableName, maxRetries);
                return;
            }
            log.printf("%s.%s: stream batch failed (%s); retrying %d records%n", function.spec().logicalId(), eventName,
                    invocation.failed() ? invocation.errorType() + ": " + invocation.errorMessage() : "batchItemFailures",
                    remaining.size() - failedFrom);
            remaining = remaining.subList(failedFrom, remaining.size());
            Thread.sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    /** -1 when all succeeded, else the index to retry from. */
    private int firstFailure(String output, List<Map<String, Object>> records) {
        if (!reportFailures || output.isBlank()) {
            return -1;
        }
        Object response;
        try {
            response = Json.parse(output);
        } catch (JsonException e) {
            return 0;
        }
        if (!(response instanceof Map<?, ?> map) || !(map.get("batchItemFailures") instanceof List<?> failures) || failures.isEmpty()) {
            return -1;
        }
        int first = Integer.MAX_VALUE;
        for (Object failure : failures) {
            Object id = failure instanceof Map<?, ?> item ? item.get("itemIdentifier") : null;
            int index = -1;
            for (int i = 0; i < records.size(); i++) {
                Object dynamodb = records.get(i).get("dynamodb");
                if (dynamodb instanceof Map<?, ?> stream && String.valueOf(stream.get("SequenceNumber")).equals(String.valueOf(id))) {
                    index = i;
                }
            }
            if (index < 0) {
                return 0; // an unknown identifier fails the whole batch
            }
            first = Math.min(first, index);
        }
        return first;
    }

    /** The record as Lambda writes it in a DynamoDB event. */
    private Map<String, Object> record(Record record) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventID", record.eventID());
        event.put("eventName", record.eventNameAsString());
        event.put("eventVersion", record.eventVersion());
        event.put("eventSource", "aws:dynamodb");
        event.put("awsRegion", region);
        StreamRecord stream = record.dynamodb();
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        if (stream.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", stream.approximateCreationDateTime().getEpochSecond());
        }
        if (stream.hasKeys()) {
            dynamodb.put("Keys", item(stream.keys()));
        }
        if (stream.hasNewImage()) {
            dynamodb.put("NewImage", item(stream.newImage()));
        }
        if (stream.hasOldImage()) {
            dynamodb.put("OldImage", item(stream.oldImage()));
        }
        dynamodb.put("SequenceNumber", stream.sequenceNumber());
        dynamodb.put("SizeBytes", stream.sizeBytes());
        dynamodb.put("StreamViewType", stream.streamViewTypeAsString());
        event.put("dynamodb", dynamodb);
        if (record.userIdentity() != null) {
            event.put("userIdentity", Map.of("type", record.userIdentity().type(),
                    "principalId", record.userIdentity().principalId()));
        }
        event.put("eventSourceARN", streamArn);
        return event;
    }

    private static Map<String, Object> item(Map<String, AttributeValue> item) {
        Map<String, Object> json = new LinkedHashMap<>();
        item.forEach((name, value) -> json.put(name, attribute(value)));
        return json;
    }

    /** An attribute value in DynamoDB's JSON: {@code {"S": "..."}}, {@code {"N": "1"}}, ... */
    static Map<String, Object> attribute(AttributeValue value) {
        Base64.Encoder base64 = Base64.getEncoder();
        return switch (value.type()) {
            case S -> Map.of("S", value.s());
            case N -> Map.of("N", value.n());
            case B -> Map.of("B", base64.encodeToString(value.b().asByteArray()));
            case SS -> Map.of("SS", value.ss());
            case NS -> Map.of("NS", value.ns());
            case BS -> Map.of("BS", value.bs().stream().map(bytes -> base64.encodeToString(bytes.asByteArray())).toList());
            case M -> Map.of("M", item(value.m()));
            case L -> Map.of("L", value.l().stream().map(DynamoDbStreamEventSource::attribute).toList());
            case NUL -> Map.of("NULL", true);
            case BOOL -> Map.of("BOOL", value.bool());
            default -> Map.of("S", String.valueOf(value));
        };
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (reader != null) {
            reader.interrupt();
        }
    }
}
