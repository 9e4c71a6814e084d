package dev.longhaul.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Provisions the project's real template.yaml on the in-JVM emulators and checks what exists. */
class ProvisionerTest {

    private static final Map<String, String> PARAMETERS = Map.of(
            "JwtIssuer", "https://issuer.example.test",
            "JwtAudience", "longhaul-local");

    private static Emulators emulators;
    private static DynamoDbClient dynamoDb;
    private static SqsClient sqs;
    private static S3Client s3;
    private static KmsClient kms;
    private static S3Presigner presigner;
    private static Stack stack;

    /**
     * The repository's template.yaml. The root pom passes the repository root as
     * {@code longhaul.root.dir}; when Maven runs from this module's directory that property names the
     * module instead, so the search walks up from there.
     */
    static Path projectTemplate() {
        Path start = Path.of(System.getProperty("longhaul.root.dir", ".")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path template = dir.resolve("template.yaml");
            if (Files.isRegularFile(template)) {
                return template;
            }
        }
        throw new AssertionError("No template.yaml in " + start + " or above");
    }

    @BeforeAll
    static void provision() {
        long begin = System.nanoTime();
        emulators = Emulators.shared();
        System.out.printf("Emulators ready in %d ms (start() measured %d ms): %s%n",
                Duration.ofNanos(System.nanoTime() - begin).toMillis(), emulators.startupTime().toMillis(),
                emulators.environment());
        EmulatorClients clients = new EmulatorClients(emulators);
        dynamoDb = clients.dynamoDb();
        sqs = clients.sqs();
        s3 = clients.s3();
        kms = clients.kms();
        presigner = clients.presigner();
        long provisionBegin = System.nanoTime();
        stack = new Provisioner(dynamoDb, sqs, s3, kms).provision(SamTemplate.load(projectTemplate()), PARAMETERS);
        System.out.printf("Provisioned in %d ms%n", Duration.ofNanos(System.nanoTime() - provisionBegin).toMillis());
    }

    @AfterAll
    static void closeClients() {
        presigner.close();
        s3.close();
        sqs.close();
        dynamoDb.close();
    }

    @Test
    void createsTheTasksTableWithItsIndexTtlAndStream() {
        TableDescription table = dynamoDb.describeTable(b -> b.tableName(stack.physicalId("TasksTable"))).table();

        assertEquals("longhaul-TasksTable", table.tableName());
        assertEquals(1, table.keySchema().size());
        assertEquals("id", table.keySchema().get(0).attributeName());
        assertEquals(KeyType.HASH, table.keySchema().get(0).keyType());
        GlobalSecondaryIndexDescription byOwner = table.globalSecondaryIndexes().get(0);
        assertEquals("ByOwner", byOwner.indexName());
        assertEquals("owner", byOwner.keySchema().get(0).attributeName());
        assertEquals("id", byOwner.keySchema().get(1).attributeName());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, table.streamSpecification().streamViewType());
        assertNotNull(table.latestStreamArn());
        assertEquals(table.latestStreamArn(), stack.attribute("TasksTable", "StreamArn"));
        assertEquals(table.tableArn(), stack.attribute("TasksTable", "Arn"));

        var ttl = dynamoDb.describeTimeToLive(b -> b.tableName(table.tableName())).timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
        assertEquals("ttl", ttl.attributeName());
    }

    @Test
    void createsTheWorkQueueWithItsRedrivePolicy() {
        String queueUrl = stack.physicalId("WorkQueue");
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.ALL)).attributes();

        assertEquals("5460", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        String redrive = attributes.get(QueueAttributeName.REDRIVE_POLICY);
        assertTrue(redrive.contains(stack.attribute("DeadLetterQueue", "Arn")), redrive);
        assertTrue(redrive.replace(" ", "").contains("\"maxReceiveCount\":5"), redrive);
        assertEquals(stack.attribute("WorkQueue", "Arn"), attributes.get(QueueAttributeName.QUEUE_ARN));
    }

    @Test
    void movesAMessageReceivedFiveTimesToTheDeadLetterQueue() {
        String queueUrl = stack.physicalId("WorkQueue");
        String dlqUrl = stack.physicalId("DeadLetterQueue");
        String body = "poison-" + System.nanoTime();
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));

        int receives = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).visibilityTimeout(0)
                    .maxNumberOfMessages(1)).messages();
            if (messages.isEmpty()) {
                break;
            }
            assertEquals(body, messages.get(0).body());
            receives++;
        }
        assertEquals(5, receives);

        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
        assertEquals(1, dead.size());
        assertEquals(body, dead.get(0).body());
        sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(dead.get(0).receiptHandle()));
    }

    @Test
    void resolvesTheApiFunctionEnvironmentFromTheTemplate() {
        Map<String, String> environment = stack.functionEnvironment("ApiFunction");

        assertEquals(stack.physicalId("TasksTable"), environment.get("TASKS_TABLE"));
        assertEquals("longhaul-TasksTable", environment.get("TASKS_TABLE"));
        assertEquals(stack.physicalId("WorkQueue"), environment.get("WORK_QUEUE_URL"));
        assertTrue(environment.get("WORK_QUEUE_URL").startsWith(emulators.sqsEndpoint().toString()),
                environment.get("WORK_QUEUE_URL"));
        assertEquals("longhaul-resultsbucket", environment.get("RESULTS_BUCKET"));
        assertEquals("300", environment.get("PRESIGN_TTL_SECONDS"));
        assertEquals("3600", environment.get("RESULT_TTL_SECONDS"));
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", environment.get("JAVA_TOOL_OPTIONS"));

        Map<String, String> worker = stack.functionEnvironment("WorkerFunction");
        assertEquals(environment.get("TASKS_TABLE"), worker.get("TASKS_TABLE"));
        assertEquals(environment.get("RESULTS_BUCKET"), worker.get("RESULTS_BUCKET"));
    }

    @Test
    void createsTheSecretsKeyAndItsAliasAndHandsTheKeyArnToTheApi() {
        String arn = stack.attribute("SecretsKey", "Arn");
        assertEquals(arn, stack.functionEnvironment("ApiFunction").get("SECRETS_KEY_ARN"));
        KeyMetadata key = kms.describeKey(b -> b.keyId("alias/longhaul/secrets")).keyMetadata();
        assertEquals(arn, key.arn());
        assertEquals(stack.physicalId("SecretsKey"), key.keyId());
        assertEquals("alias/longhaul/secrets", stack.physicalId("SecretsKeyAlias"));
        assertTrue(arn.startsWith("arn:aws:kms:us-east-1:000000000000:key/"), arn);
        // functions that neither sign nor verify are not told the key
        for (String function : List.of("WorkerFunction", "NotifierFunction", "SweeperFunction")) {
            assertTrue(!stack.functionEnvironment(function).containsKey("SECRETS_KEY_ARN"), function);
        }
    }

    @Test
    void parameterOverridesReachTheFunctionEnvironment() {
        Map<String, String> overrides = new java.util.HashMap<>(PARAMETERS);
        overrides.put("PresignTtlSeconds", "60");
        Stack other = new Provisioner(dynamoDb, sqs, s3, kms)
                .provision(SamTemplate.load(projectTemplate()), overrides, "longhaul-override");

        assertEquals("60", other.functionEnvironment("ApiFunction").get("PRESIGN_TTL_SECONDS"));
        assertEquals("longhaul-override-TasksTable", other.functionEnvironment("ApiFunction").get("TASKS_TABLE"));
    }

    @Test
    void servesPresignedUrlsAndRejectsTamperedOnes() throws Exception {
        String bucket = stack.physicalId("ResultsBucket");
        s3.headBucket(b -> b.bucket(bucket));
        String key = "results/task-1.json";
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString("{\"answer\":42}"));

        URI url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toURI();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        assertEquals("{\"answer\":42}", ok.body());

        URI tampered = URI.create(url.toString().replace(key, "results/task-2.json"));
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(tampered).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, denied.statusCode());
        URI longerLived = URI.create(url.toString().replace("X-Amz-Expires=300", "X-Amz-Expires=600"));
        assertEquals(403, http.send(HttpRequest.newBuilder(longerLived).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void provisioningAgainReusesWhatExists() {
        Stack again = new Provisioner(dynamoDb, sqs, s3, kms).provision(SamTemplate.load(projectTemplate()), PARAMETERS);

        for (String logicalId : List.of("TasksTable", "DeadLetterQueue", "WorkQueue", "ResultsBucket", "SecretsKey",
                "SecretsKeyAlias")) {
            assertEquals(stack.physicalId(logicalId), again.physicalId(logicalId), logicalId);
        }
        assertEquals(stack.attribute("SecretsKey", "Arn"), again.attribute("SecretsKey", "Arn"));
        assertEquals(stack.attribute("TasksTable", "StreamArn"), again.attribute("TasksTable", "StreamArn"));
        assertEquals(stack.warnings(), again.warnings());
    }

    @Test
    void reportsWhatItDoesNotProvision() {
        List<String> warnings = stack.warnings();
        warnings.forEach(warning -> System.out.println("warning: " + warning));

        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("ResultsBucketPolicy (AWS::S3::BucketPolicy)")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("lifecycle rule is enforced on AWS only")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("HttpApi (AWS::Serverless::HttpApi)")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("ApiFunction (AWS::Serverless::Function)")),
                warnings.toString());
        assertTrue(warnings.contains("SecretsKey: KeyPolicy not applied locally (the local KMS has no key policies):"
                + " enforced on AWS only"),
                warnings.toString());
        // every table, queue, bucket, KMS key and alias of the template, and nothing else
        List<String> expected = stack.template().resources().values().stream()
                .filter(r -> List.of("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::S3::Bucket", "AWS::KMS::Key",
                        "AWS::KMS::Alias").contains(r.type()))
                .map(SamTemplate.Resource::logicalId).sorted().toList();
        assertTrue(expected.containsAll(List.of("TasksTable", "DeadLetterQueue", "WorkQueue", "ResultsBucket")));
        assertEquals(expected, stack.provisionedResources().stream().sorted().toList());
    }
}
