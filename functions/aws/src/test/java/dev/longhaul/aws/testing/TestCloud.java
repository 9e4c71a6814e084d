package dev.longhaul.aws.testing;

import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.kms.KmsEnvelope;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.emulators.Emulators;
import dev.longhaul.emulators.Provisioner;
import dev.longhaul.emulators.SamTemplate;
import dev.longhaul.emulators.Stack;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local cloud for adapter and handler tests: the shared in-JVM emulators with the repository's
 * {@code template.yaml} provisioned on them, once per JVM. Tests share its resources, so a test
 * that asserts on counts calls {@link #reset()} first.
 */
public final class TestCloud {
    public static final String TABLE = "TasksTable";
    public static final String QUEUE = "WorkQueue";
    public static final String DEAD_LETTER_QUEUE = "DeadLetterQueue";
    public static final String BUCKET = "ResultsBucket";
    public static final String SECRETS_KEY = "SecretsKey";

    private static TestCloud instance;

    private final Emulators emulators;
    private final AwsClients clients;
    private final Stack stack;
    private DynamoDbStreamsClient streams;

    private TestCloud(Emulators emulators, AwsClients clients, Stack stack) {
        this.emulators = emulators;
        this.clients = clients;
        this.stack = stack;
    }

    /** Starts the emulators and provisions the template on first use. */
    public static synchronized TestCloud get() {
        if (instance == null) {
            Emulators emulators = Emulators.shared();
            AwsClients clients = AwsClients.fromEnvironment(emulators.environment());
            Stack stack = new Provisioner(clients.dynamoDb(), clients.sqs(), clients.s3(), clients.kms())
                    // the tests run the demo job types, which a deployed stack leaves out by default
                    .provision(SamTemplate.load(templatePath()), Map.of("EnableDemoJobs", "true"));
            instance = new TestCloud(emulators, clients, stack);
        }
        return instance;
    }

    /** {@code template.yaml} at the root named by the {@code longhaul.root.dir} property (set by Surefire). */
    public static Path templatePath() {
        String root = System.getProperty("longhaul.root.dir");
        Path template = Path.of(root == null ? "." : root).resolve("template.yaml");
        if (!Files.isRegularFile(template)) {
            throw new IllegalStateException("No template.yaml at " + template.toAbsolutePath()
                    + ": set the system property longhaul.root.dir to the repository root");
        }
        return template;
    }

    public Emulators emulators() {
        return emulators;
    }

    /** Clients pointing at the emulators, shared by all tests. */
    public AwsClients clients() {
        return clients;
    }

    public Stack stack() {
        return stack;
    }

    /** Region, credentials and endpoint variables that point an SDK client at the emulators. */
    public Map<String, String> environment() {
        return emulators.environment();
    }

    /**
     * What the function sees at run time: the emulator variables plus the function's own
     * variables from the template, resolved against the provisioned resources.
     */
    public Map<String, String> environment(String functionLogicalId) {
        Map<String, String> environment = new LinkedHashMap<>(emulators.environment());
        environment.putAll(stack.functionEnvironment(functionLogicalId));
        return Map.copyOf(environment);
    }

    public String tableName() {
        return stack.physicalId(TABLE);
    }

    public String queueUrl() {
        return stack.physicalId(QUEUE);
    }

    public String deadLetterQueueUrl() {
        return stack.physicalId(DEAD_LETTER_QUEUE);
    }

    public String bucket() {
        return stack.physicalId(BUCKET);
    }

    /** Every record of the table's stream (DynamoDB Local's) about these items so far, oldest first. */
    public synchronized List<Record> streamRecords(Set<String> itemIds) {
        if (streams == null) {
            Map<String, String> env = environment();
            streams = DynamoDbStreamsClient.builder()
                    .region(Region.of(env.get("AWS_REGION")))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                    .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        String streamArn = stack.attribute(TABLE, "StreamArn");
        List<Record> records = new ArrayList<>();
        for (Shard shard : streams.describeStream(d -> d.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(g -> g.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String from = iterator;
                GetRecordsResponse page = streams.getRecords(g -> g.shardIterator(from).limit(1000));
                for (Record record : page.records()) {
                    if (itemIds.contains(record.dynamodb().keys().get("id").s())) {
                        records.add(record);
                    }
                }
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return records;
    }

    /** The ARN of the KMS key the table's secrets are sealed under. */
    public String secretsKeyArn() {
        return stack.attribute(SECRETS_KEY, "Arn");
    }

    /** Seals and opens secrets as the API does: under the template's key, bound to the table. */
    public KmsEnvelope envelope() {
        return new KmsEnvelope(clients::kms, secretsKeyArn(), tableName());
    }

    /** Items in the tasks table. */
    public int itemCount() {
        int count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = clients.dynamoDb().scan(scan -> scan
                    .tableName(tableName()).select(Select.COUNT).consistentRead(true).exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    /** Task items in the table (bookkeeping items, such as owners' counts, excluded). */
    public int taskCount() {
        int count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = clients.dynamoDb().scan(scan -> scan
                    .tableName(tableName()).select(Select.COUNT).consistentRead(true)
                    .filterExpression("attribute_exists(#owner)")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    /** Messages on the work queue, visible or in flight. */
    public int queueDepth() {
        return queueDepth(queueUrl());
    }

    public int queueDepth(String url) {
        Map<QueueAttributeName, String> attributes = clients.sqs().getQueueAttributes(get -> get
                .queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** Empties the work queue, in-flight messages included. */
    public void purgeQueue() {
        clients.sqs().purgeQueue(purge -> purge.queueUrl(queueUrl()));
    }

    /** Receives and deletes every visible message on the work queue, returning them. */
    public List<Message> drain() {
        List<Message> drained = new ArrayList<>();
        List<Message> batch;
        do {
            batch = receive(10);
            for (Message message : batch) {
                delete(message);
            }
            drained.addAll(batch);
        } while (!batch.isEmpty());
        return drained;
    }

    /**
     * Up to {@code max} (at most 10) messages from the work queue, with all their attributes, without
     * deleting them: they stay in flight for the queue's visibility timeout unless {@link #delete}d.
     */
    public List<Message> receive(int max) {
        return clients.sqs().receiveMessage(receive -> receive
                .queueUrl(queueUrl())
                .maxNumberOfMessages(Math.max(1, Math.min(10, max)))
                .messageSystemAttributeNamesWithStrings("All")
                .messageAttributeNames("All")
                .waitTimeSeconds(0)).messages();
    }

    public void delete(Message message) {
        clients.sqs().deleteMessage(delete -> delete.queueUrl(queueUrl()).receiptHandle(message.receiptHandle()));
    }

    /** Objects under the results prefix. */
    public int objectCount() {
        return resultKeys().size();
    }

    /** Keys of the objects under the results prefix. */
    public List<String> resultKeys() {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String from = token;
            ListObjectsV2Response page = clients.s3().listObjectsV2(list -> list
                    .bucket(bucket()).prefix(S3ResultStore.key("")).continuationToken(from));
            for (S3Object object : page.contents()) {
                keys.add(object.key());
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    /** Empties the table, both queues and the results prefix, so a test starts from nothing. */
    public void reset() {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = clients.dynamoDb().scan(scan -> scan
                    .tableName(tableName()).projectionExpression("#id").expressionAttributeNames(Map.of("#id", "id"))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> key : page.items()) {
                clients.dynamoDb().deleteItem(delete -> delete.tableName(tableName()).key(key));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        purgeQueue();
        clients.sqs().purgeQueue(purge -> purge.queueUrl(deadLetterQueueUrl()));
        for (String key : resultKeys()) {
            clients.s3().deleteObject(delete -> delete.bucket(bucket()).key(key));
        }
    }
}
