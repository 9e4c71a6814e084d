package dev.longhaul.emulators;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates a template's tables, queues and buckets on whatever endpoints the given clients point to
 * (the in-JVM {@link Emulators}, LocalStack, moto...). Everything else in the template is reported in
 * {@link Stack#warnings()} with the reason it is not provisioned, never skipped silently.
 *
 * <p>Provisioning is idempotent: what already exists is reused, so calling it twice is safe.
 */
public final class Provisioner {

    public static final String DEFAULT_STACK_NAME = "longhaul";

    private static final String TABLE = "AWS::DynamoDB::Table";
    private static final String QUEUE = "AWS::SQS::Queue";
    private static final String BUCKET = "AWS::S3::Bucket";

    /** Resource types with no local counterpart, and why. */
    private static final Map<String, String> NOT_PROVISIONED = Map.ofEntries(
            Map.entry("AWS::Serverless::Function", "functions run in the local cloud, configured by Stack.functionEnvironment"),
            Map.entry("AWS::Lambda::Function", "functions run in the local cloud, configured by Stack.functionEnvironment"),
            Map.entry("AWS::Lambda::Permission", "the local cloud invokes functions itself; resource policies are not checked"),
            Map.entry("AWS::Lambda::EventSourceMapping", "the local cloud polls the queue itself"),
            Map.entry("AWS::Serverless::HttpApi", "served by the local cloud (routes and JWT authorizer), not provisioned"),
            Map.entry("AWS::Serverless::Api", "the local cloud serves the routes"),
            Map.entry("AWS::S3::BucketPolicy", "S3Proxy enforces no bucket policy; enforced on AWS only"),
            Map.entry("AWS::SQS::QueuePolicy", "ElasticMQ enforces no queue policy; enforced on AWS only"),
            Map.entry("AWS::IAM::Role", "the local cloud checks the functions' calls against their roles itself"),
            Map.entry("AWS::IAM::Policy", "the local cloud checks the functions' calls against their roles itself"),
            Map.entry("AWS::IAM::ManagedPolicy", "the local cloud checks the functions' calls against their roles itself"),
            Map.entry("AWS::CloudWatch::Alarm", "no monitoring locally"),
            Map.entry("AWS::CloudWatch::Dashboard", "no monitoring locally"),
            Map.entry("AWS::Logs::LogGroup", "logs go to the local cloud's output"),
            Map.entry("AWS::SNS::Topic", "no SNS emulator here"));

    private static final Set<String> TABLE_PROPERTIES = Set.of("TableName", "AttributeDefinitions", "KeySchema",
            "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput",
            "StreamSpecification", "TimeToLiveSpecification");
    private static final Set<String> QUEUE_PROPERTIES = Set.of("QueueName", "VisibilityTimeout",
            "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "MaximumMessageSize",
            "FifoQueue", "ContentBasedDeduplication", "RedrivePolicy");
    private static final Set<String> BUCKET_PROPERTIES = Set.of("BucketName");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;

    public Provisioner(DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.s3 = Objects.requireNonNull(s3, "s3");
    }

    /** Provisions with the template's parameter defaults, as stack {@value #DEFAULT_STACK_NAME}. */
    public Stack provision(SamTemplate template) {
        return provision(template, Map.of(), DEFAULT_STACK_NAME);
    }

    public Stack provision(SamTemplate template, Map<String, String> parameterOverrides) {
        return provision(template, parameterOverrides, DEFAULT_STACK_NAME);
    }

    public Stack provision(SamTemplate template, Map<String, String> parameterOverrides, String stackName) {
        Region region = sqs.serviceClientConfiguration().region();
        Stack stack = new Stack(stackName, region == null ? "us-east-1" : region.id(), template,
                parameters(template, parameterOverrides));
        for (String unknown : parameterOverrides.keySet()) {
            if (!template.parameters().containsKey(unknown)) {
                throw new IllegalArgumentException("The template has no parameter " + unknown);
            }
        }
        template.parameters().values().stream()
                .filter(parameter -> parameter.defaultValue().isEmpty()
                        && !parameterOverrides.containsKey(parameter.name()))
                .forEach(parameter -> stack.warn("Parameter " + parameter.name()
                        + " has no value: any reference to it fails"));
        for (String logicalId : creationOrder(template)) {
            SamTemplate.Resource resource = template.resource(logicalId);
            if (resource.conditionName().isPresent() && !stack.condition(resource.conditionName().get())) {
                stack.warn(logicalId + " (" + resource.type() + ") not provisioned: condition "
                        + resource.conditionName().get() + " is false");
                continue;
            }
            switch (resource.type()) {
                case TABLE -> stack.add(table(resource, stack));
                case QUEUE -> stack.add(queue(resource, stack));
                case BUCKET -> stack.add(bucket(resource, stack));
                default -> stack.warn(logicalId + " (" + resource.type() + ") not provisioned: "
                        + NOT_PROVISIONED.getOrDefault(resource.type(), "unsupported resource type locally"));
            }
        }
        return stack;
    }

    private static Map<String, Object> parameters(SamTemplate template, Map<String, String> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        template.parameters().values().forEach(parameter -> {
            String value = overrides.containsKey(parameter.name())
                    ? overrides.get(parameter.name())
                    : parameter.defaultValue().orElse(null);
            if (value != null) {
                boolean isList = parameter.type().equals("CommaDelimitedList") || parameter.type().startsWith("List<");
                values.put(parameter.name(), isList ? split(value) : value);
            }
        });
        return values;
    }

    private static List<String> split(String commaDelimited) {
        List<String> items = new ArrayList<>();
        for (String item : commaDelimited.split(",", -1)) {
            items.add(item.trim());
        }
        return List.copyOf(items);
    }

    // ---- DynamoDB ----

    private Stack.ProvisionedResource table(SamTemplate.Resource resource, Stack stack) {
        Map<String, Object> properties = resource.properties();
        String tableName = nameOr(properties, "TableName", stack, stack.name() + "-" + resource.logicalId());
        TableDescription table = describeTable(tableName);
        if (table == null) {
            dynamoDb.createTable(createTableRequest(tableName, properties, stack));
            dynamoDb.waiter().waitUntilTableExists(builder -> builder.tableName(tableName));
            table = describeTable(tableName);
        }
        Object ttl = stack.resolve(properties.get("TimeToLiveSpecification"));
        if (ttl instanceof Map<?, ?> ttlSpecification && Boolean.parseBoolean(String.valueOf(ttlSpecification.get("Enabled")))) {
            enableTimeToLive(tableName, String.valueOf(ttlSpecification.get("AttributeName")));
        }
        warnIgnored(resource, TABLE_PROPERTIES, stack);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Arn", table.tableArn());
        if (table.latestStreamArn() != null) {
            attributes.put("StreamArn", table.latestStreamArn());
        }
        return new Stack.ProvisionedResource(resource.logicalId(), resource.type(), tableName, attributes);
    }

    private TableDescription describeTable(String tableName) {
        try {
            return dynamoDb.describeTable(builder -> builder.tableName(tableName)).table();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    private void enableTimeToLive(String tableName, String attributeName) {
        TimeToLiveDescription current = dynamoDb.describeTimeToLive(builder -> builder.tableName(tableName))
                .timeToLiveDescription();
        if (current != null && current.timeToLiveStatus() == TimeToLiveStatus.ENABLED) {
            if (!attributeName.equals(current.attributeName())) {
                throw new IllegalStateException("Table " + tableName + " already has TTL on "
                        + current.attributeName() + ", not " + attributeName);
            }
            return;
        }
        dynamoDb.updateTimeToLive(builder -> builder.tableName(tableName)
                .timeToLiveSpecification(spec -> spec.attributeName(attributeName).enabled(true)));
    }

    private static CreateTableRequest createTableRequest(String tableName, Map<String, Object> raw, Stack stack) {
        Map<String, Object> properties = map(stack.resolve(raw), "Properties");
        BillingMode billingMode = BillingMode.fromValue(
                String.valueOf(properties.getOrDefault("BillingMode", "PROVISIONED")));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(billingMode)
                .attributeDefinitions(list(properties.get("AttributeDefinitions")).stream()
                        .map(item -> map(item, "AttributeDefinitions"))
                        .map(definition -> AttributeDefinition.builder()
                                .attributeName(String.valueOf(definition.get("AttributeName")))
                                .attributeType(String.valueOf(definition.get("AttributeType")))
                                .build())
                        .toList())
                .keySchema(keySchema(properties.get("KeySchema")));
        if (billingMode == BillingMode.PROVISIONED) {
            request.provisionedThroughput(throughput(properties.get("ProvisionedThroughput")));
        }
        List<GlobalSecondaryIndex> globalIndexes = list(properties.get("GlobalSecondaryIndexes")).stream()
                .map(item -> map(item, "GlobalSecondaryIndexes"))
                .map(index -> {
                    GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                            .indexName(String.valueOf(index.get("IndexName")))
                            .keySchema(keySchema(index.get("KeySchema")))
                            .projection(projection(index.get("Projection")));
                    if (billingMode == BillingMode.PROVISIONED) {
                        gsi.provisionedThroughput(throughput(index.get("ProvisionedThroughput")));
                    }
                    return gsi.build();
                })
                .toList();
        if (!globalIndexes.isEmpty()) {
            request.globalSecondaryIndexes(globalIndexes);
        }
        List<LocalSecondaryIndex> localIndexes = list(properties.get("LocalSecondaryIndexes")).stream()
                .map(item -> map(item, "LocalSecondaryIndexes"))
                .map(index -> LocalSecondaryIndex.builder()
                        .indexName(String.valueOf(index.get("IndexName")))
                        .keySchema(keySchema(index.get("KeySchema")))
                        .projection(projection(index.get("Projection")))
                        .build())
                .toList();
        if (!localIndexes.isEmpty()) {
            request.localSecondaryIndexes(localIndexes);
        }
        Object stream = properties.get("StreamSpecification");
        if (stream != null) {
            request.streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true)
                    .streamViewType(String.valueOf(map(stream, "StreamSpecification").get("StreamViewType")))
                    .build());
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(Object schema) {
        return list(schema).stream()
                .map(item -> map(item, "KeySchema"))
                .map(key -> KeySchemaElement.builder()
                        .attributeName(String.valueOf(key.get("AttributeName")))
                        .keyType(String.valueOf(key.get("KeyType")))
                        .build())
                .toList();
    }

    private static Projection projection(Object projection) {
        Map<String, Object> fields = map(projection, "Projection");
        Projection.Builder builder = Projection.builder()
                .projectionType(String.valueOf(fields.getOrDefault("ProjectionType", "KEYS_ONLY")));
        List<Object> nonKeyAttributes = list(fields.get("NonKeyAttributes"));
        if (!nonKeyAttributes.isEmpty()) {
            builder.nonKeyAttributes(nonKeyAttributes.stream().map(String::valueOf).toList());
        }
        return builder.build();
    }

    private static ProvisionedThroughput throughput(Object throughput) {
        if (throughput == null) {
            return ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(5L).build();
        }
        Map<String, Object> fields = map(throughput, "ProvisionedThroughput");
        return ProvisionedThroughput.builder()
                .readCapacityUnits(Long.parseLong(String.valueOf(fields.get("ReadCapacityUnits"))))
                .writeCapacityUnits(Long.parseLong(String.valueOf(fields.get("WriteCapacityUnits"))))
                .build();
    }

    // ---- SQS ----

    private Stack.ProvisionedResource queue(SamTemplate.Resource resource, Stack stack) {
        Map<String, Object> properties = resource.properties();
        boolean fifo = Boolean.parseBoolean(stack.resolveString(properties.get("FifoQueue")));
        String queueName = nameOr(properties, "QueueName", stack,
                stack.name() + "-" + resource.logicalId() + (fifo ? ".fifo" : ""));
        String queueUrl;
        try {
            queueUrl = sqs.getQueueUrl(builder -> builder.queueName(queueName)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            Map<QueueAttributeName, String> attributes = queueAttributes(properties, stack);
            queueUrl = sqs.createQueue(builder -> builder.queueName(queueName).attributes(attributes)).queueUrl();
        }
        String url = queueUrl;
        String arn = sqs.getQueueAttributes(builder -> builder.queueUrl(url)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        warnIgnored(resource, QUEUE_PROPERTIES, stack);
        return new Stack.ProvisionedResource(resource.logicalId(), resource.type(), queueUrl,
                Map.of("Arn", arn, "QueueName", queueName, "QueueUrl", queueUrl));
    }

    private static Map<QueueAttributeName, String> queueAttributes(Map<String, Object> properties, Stack stack) {
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        Map<String, QueueAttributeName> plain = Map.of(
                "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
                "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
                "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
                "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
                "FifoQueue", QueueAttributeName.FIFO_QUEUE,
                "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION);
        plain.forEach((property, attribute) -> {
            String value = stack.resolveString(properties.get(property));
            if (value != null) {
                attributes.put(attribute, value);
            }
        });
        Object redrive = stack.resolve(properties.get("RedrivePolicy"));
        if (redrive != null) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY,
                    redrive instanceof Map<?, ?> policy ? json(policy) : String.valueOf(redrive));
        }
        return attributes;
    }

    /** A flat JSON object; digit-only strings become numbers, as SQS writes {@code maxReceiveCount}. */
    private static String json(Map<?, ?> flat) {
        StringBuilder json = new StringBuilder("{");
        flat.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quoted(String.valueOf(key))).append(':');
            String text = String.valueOf(value);
            json.append(value instanceof Number || value instanceof Boolean || text.matches("-?\\d+")
                    ? text : quoted(text));
        });
        return json.append('}').toString();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    // ---- S3 ----

    private Stack.ProvisionedResource bucket(SamTemplate.Resource resource, Stack stack) {
        Map<String, Object> properties = resource.properties();
        String bucketName = nameOr(properties, "BucketName", stack,
                bucketName(stack.name() + "-" + resource.logicalId()));
        if (!bucketExists(bucketName)) {
            s3.createBucket(builder -> builder.bucket(bucketName));
        }
        if (properties.containsKey("LifecycleConfiguration")) {
            stack.warn(resource.logicalId() + ": LifecycleConfiguration not applied (S3Proxy answers 501):"
                    + " the lifecycle rule is enforced on AWS only");
        }
        warnIgnored(resource, BUCKET_PROPERTIES, stack, "LifecycleConfiguration");
        return new Stack.ProvisionedResource(resource.logicalId(), resource.type(), bucketName, Map.of(
                "Arn", "arn:aws:s3:::" + bucketName,
                "DomainName", bucketName + ".s3.amazonaws.com",
                "RegionalDomainName", bucketName + ".s3." + stack.region() + ".amazonaws.com"));
    }

    private boolean bucketExists(String bucketName) {
        try {
            s3.headBucket(builder -> builder.bucket(bucketName));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String bucketName(String name) {
        String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return lower.length() > 63 ? lower.substring(0, 63) : lower;
    }

    // ---- shared ----

    private static String nameOr(Map<String, Object> properties, String property, Stack stack, String generated) {
        String explicit = stack.resolveString(properties.get(property));
        return explicit == null ? generated : explicit;
    }

    private static void warnIgnored(SamTemplate.Resource resource, Set<String> applied, Stack stack,
                                    String... reportedElsewhere) {
        Set<String> ignored = new LinkedHashSet<>(resource.properties().keySet());
        ignored.removeAll(applied);
        List.of(reportedElsewhere).forEach(ignored::remove);
        if (!ignored.isEmpty()) {
            stack.warn(resource.logicalId() + ": " + String.join(", ", ignored)
                    + " not applied locally (no effect on the emulators)");
        }
    }

    /**
     * Resources ordered so that each comes after those it references ({@code Ref}, {@code GetAtt},
     * {@code Sub}) or names in {@code DependsOn}; otherwise in template order.
     */
    static List<String> creationOrder(SamTemplate template) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String logicalId : template.resources().keySet()) {
            visit(logicalId, template, order, done, visiting);
        }
        return order;
    }

    private static void visit(String logicalId, SamTemplate template, List<String> order, Set<String> done,
                              Set<String> visiting) {
        if (done.contains(logicalId)) {
            return;
        }
        if (!visiting.add(logicalId)) {
            throw new IllegalArgumentException("Circular dependency between resources: " + visiting);
        }
        SamTemplate.Resource resource = template.resource(logicalId);
        Set<String> dependencies = new LinkedHashSet<>(resource.dependsOn());
        collectReferences(resource.properties(), dependencies);
        for (String dependency : dependencies) {
            if (template.resources().containsKey(dependency) && !dependency.equals(logicalId)) {
                visit(dependency, template, order, done, visiting);
            }
        }
        visiting.remove(logicalId);
        done.add(logicalId);
        order.add(logicalId);
    }

    private static void collectReferences(Object value, Set<String> into) {
        if (value instanceof Intrinsic.Ref ref) {
            into.add(ref.name());
        } else if (value instanceof Intrinsic.GetAtt getAtt) {
            into.add(getAtt.resource());
        } else if (value instanceof Intrinsic.Sub sub) {
            Matcher matcher = SUB_VARIABLE.matcher(sub.template());
            while (matcher.find()) {
                String variable = matcher.group(1);
                if (!sub.variables().containsKey(variable)) {
                    int dot = variable.indexOf('.');
                    into.add(dot < 0 ? variable : variable.substring(0, dot));
                }
            }
            collectReferences(sub.variables(), into);
        } else if (value instanceof Intrinsic.Fn fn) {
            collectReferences(fn.args(), into);
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(item -> collectReferences(item, into));
        } else if (value instanceof List<?> list) {
            list.forEach(item -> collectReferences(item, into));
        }
    }

    private static Map<String, Object> map(Object value, String where) {
        return SamTemplate.asMap(value, where);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new IllegalArgumentException("Expected a list, got " + value);
    }
}
