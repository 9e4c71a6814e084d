package dev.longhaul.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.longhaul.lambda.testing.LambdaRuntime;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.testing.SampleEvents;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What Lambda's event source mappings do, done by hand so tests control each step: the table's
 * real stream (DynamoDB Local) read into a stream event, and the delivery queue (ElasticMQ)
 * received into an SQS event, with the messages not reported in {@code batchItemFailures} deleted.
 */
final class EventSources {
    private final TestCloud cloud;
    private final DynamoDbStreamsClient streams;
    private final String streamArn;

    EventSources(TestCloud cloud) {
        this.cloud = cloud;
        Map<String, String> env = cloud.environment();
        this.streams = DynamoDbStreamsClient.builder()
                .region(Region.of(env.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        this.streamArn = cloud.clients().dynamoDb().describeTable(d -> d.tableName(cloud.tableName()))
                .table().latestStreamArn();
    }

    String webhookQueueUrl() {
        return cloud.stack().physicalId("WebhookDeliveryQueue");
    }

    String webhookDeadLetterQueueUrl() {
        return cloud.stack().physicalId("WebhookDeadLetterQueue");
    }

    void purgeWebhookQueues() {
        cloud.clients().sqs().purgeQueue(p -> p.queueUrl(webhookQueueUrl()));
        cloud.clients().sqs().purgeQueue(p -> p.queueUrl(webhookDeadLetterQueueUrl()));
    }

    /** Every stream record so far about these items, oldest first, as Lambda's stream event. */
    Map<String, Object> streamEvent(Set<String> itemIds) {
        List<Object> records = new ArrayList<>();
        for (Shard shard : streams.describeStream(d -> d.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(g -> g.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String from = iterator;
                var page = streams.getRecords(g -> g.shardIterator(from).limit(1000));
                for (Record r : page.records()) {
                    if (itemIds.contains(r.dynamodb().keys().get("id").s())) {
                        records.add(lambdaRecord(r));
                    }
                }
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return new LinkedHashMap<>(Map.of("Records", records));
    }

    private Map<String, Object> lambdaRecord(Record r) {
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        dynamodb.put("Keys", json(r.dynamodb().keys()));
        if (r.dynamodb().hasNewImage()) {
            dynamodb.put("NewImage", json(r.dynamodb().newImage()));
        }
        if (r.dynamodb().hasOldImage()) {
            dynamodb.put("OldImage", json(r.dynamodb().oldImage()));
        }
        dynamodb.put("SequenceNumber", r.dynamodb().sequenceNumber());
        dynamodb.put("StreamViewType", r.dynamodb().streamViewTypeAsString());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventID", r.eventID());
        record.put("eventName", r.eventNameAsString());
        record.put("eventSource", "aws:dynamodb");
        record.put("dynamodb", dynamodb);
        return record;
    }

    private static Map<String, Object> json(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((k, v) -> out.put(k, json(v)));
        return out;
    }

    private static Map<String, Object> json(AttributeValue v) {
        switch (v.type()) {
            case S: return Map.of("S", v.s());
            case N: return Map.of("N", v.n());
            case BOOL: return Map.of("BOOL", v.bool());
            case NUL: return Map.of("NULL", true);
            case B: return Map.of("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
            case SS: return Map.of("SS", v.ss());
            case NS: return Map.of("NS", v.ns());
            case L: {
                List<Object> list = new ArrayList<>();
                v.l().forEach(e -> list.add(json(e)));
                return Map.of("L", list);
            }
            case M: return Map.of("M", json(v.m()));
            default: throw new IllegalArgumentException("unsupported attribute type " + v.type());
        }
    }

    /** Receives up to 10 deliveries, invokes the handler with them, deletes the successful ones. */
    List<String> pumpDeliveries(WebhookDeliveryHandler handler) {
        List<Message> messages = cloud.clients().sqs().receiveMessage(r -> r.queueUrl(webhookQueueUrl())
                .maxNumberOfMessages(10).messageSystemAttributeNamesWithStrings("All").waitTimeSeconds(0)).messages();
        if (messages.isEmpty()) {
            return List.of();
        }
        Map<String, Object> event = SampleEvents.load("sqs-webhook-delivery-batch.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) ((List<Object>) event.get("Records")).get(0);
        List<Object> records = new ArrayList<>();
        for (Message m : messages) {
            Map<String, Object> record = new LinkedHashMap<>(template);
            record.put("messageId", m.messageId());
            record.put("receiptHandle", m.receiptHandle());
            record.put("body", m.body());
            record.put("attributes", new LinkedHashMap<>(m.attributesAsStrings()));
            records.add(record);
        }
        event.put("Records", records);
        List<String> failed = failures(invoke(handler, event));
        for (Message m : messages) {
            if (!failed.contains(m.messageId())) {
                cloud.clients().sqs().deleteMessage(d -> d.queueUrl(webhookQueueUrl()).receiptHandle(m.receiptHandle()));
            }
        }
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> ids.add(m.messageId()));
        return ids;
    }

    /** A stream batch through the Lambda runtime's serializer to the notifier, its answer back. */
    static Map<String, Object> invoke(TaskStreamHandler handler, Map<String, Object> event) {
        return LambdaRuntime.invoke(event, DynamodbEvent.class, e -> handler.handle(e, null));
    }

    /** An SQS batch through the Lambda runtime's serializer to the delivery function, its answer back. */
    static Map<String, Object> invoke(WebhookDeliveryHandler handler, Map<String, Object> event) {
        return LambdaRuntime.invoke(event, SQSEvent.class, e -> handler.handle(e, null));
    }

    @SuppressWarnings("unchecked")
    static List<String> failures(Map<String, Object> response) {
        List<String> ids = new ArrayList<>();
        for (Object f : (List<Object>) response.get("batchItemFailures")) {
            ids.add((String) ((Map<String, Object>) f).get("itemIdentifier"));
        }
        return ids;
    }
}
