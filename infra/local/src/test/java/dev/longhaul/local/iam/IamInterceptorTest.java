package dev.longhaul.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.emulators.Emulators;
import dev.longhaul.emulators.Provisioner;
import dev.longhaul.emulators.SamTemplate;
import dev.longhaul.emulators.Stack;
import dev.longhaul.local.iam.guest.IamInterceptor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessDeniedException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The IAM interceptor and the policy engine together, on real SDK clients against the emulators:
 * a role expanded from a SAM template (policy templates, inline statements, a condition, a Deny),
 * calls allowed and refused, each refusal the exception the SDK raises for AWS's answer, and S3's
 * 403 for a missing key the role may not list.
 */
class IamInterceptorTest {

    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions:
                    - {AttributeName: id, AttributeType: S}
                    - {AttributeName: owner, AttributeType: S}
                  KeySchema:
                    - {AttributeName: id, KeyType: HASH}
                  GlobalSecondaryIndexes:
                    - IndexName: ByOwner
                      KeySchema:
                        - {AttributeName: owner, KeyType: HASH}
                      Projection: {ProjectionType: ALL}
              Queue:
                Type: AWS::SQS::Queue
              Bucket:
                Type: AWS::S3::Bucket
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: never-run.jar
                  Handler: never.Run::handleRequest
                  Runtime: java21
                  Policies:
                    - DynamoDBReadPolicy:
                        TableName: !Ref Table
                    - SQSSendMessagePolicy:
                        QueueName: !GetAtt Queue.QueueName
                    - Statement:
                        - Effect: Allow
                          Action: dynamodb:PutItem
                          Resource: !GetAtt Table.Arn
                        - Effect: Allow
                          Action: [s3:GetObject, s3:PutObject]
                          Resource: !Sub "${Bucket.Arn}/*"
                        - Effect: Allow
                          Action: s3:ListBucket
                          Resource: !GetAtt Bucket.Arn
                          Condition:
                            StringLike:
                              s3:prefix: results/*
                        - Effect: Deny
                          Action: s3:PutObject
                          Resource: !Sub "${Bucket.Arn}/locked/*"
            """;

    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static final IamRecorder RECORDER = new IamRecorder();
    private static Stack stack;
    private static DynamoDbClient dynamoDb;
    private static SqsClient sqs;
    private static S3Client s3;
    private static S3Client unchecked;

    @BeforeAll
    static void connect() {
        Emulators emulators = Emulators.shared();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(emulators.accessKeyId(), emulators.secretAccessKey()));
        Region region = Region.of(emulators.region());
        ClientOverrideConfiguration checked = ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(new IamInterceptor()).build();
        dynamoDb = DynamoDbClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(emulators.dynamoDbEndpoint())
                .overrideConfiguration(checked).build();
        sqs = SqsClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(emulators.sqsEndpoint())
                .overrideConfiguration(checked).build();
        s3 = S3Client.builder().region(region).credentialsProvider(credentials).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(emulators.s3Endpoint())
                .overrideConfiguration(checked).build();
        unchecked = S3Client.builder().region(region).credentialsProvider(credentials).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(emulators.s3Endpoint()).build();
        try (DynamoDbClient plainDynamoDb = DynamoDbClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(emulators.dynamoDbEndpoint()).build();
             SqsClient plainSqs = SqsClient.builder().region(region).credentialsProvider(credentials)
                     .httpClient(UrlConnectionHttpClient.create()).endpointOverride(emulators.sqsEndpoint()).build()) {
            stack = new Provisioner(plainDynamoDb, plainSqs, unchecked).provision(SamTemplate.parse(TEMPLATE), Map.of(),
                    "iam-interceptor");
        }
        IamEnforcer enforcer = IamEnforcer.create(stack, RECORDER, new PrintStream(LOG, true, StandardCharsets.UTF_8));
        IamInterceptor.connect(enforcer.guard("Fn"));
    }

    @AfterAll
    static void disconnect() {
        IamInterceptor.connect(null);
        dynamoDb.close();
        sqs.close();
        s3.close();
        unchecked.close();
    }

    private static String table() {
        return stack.physicalId("Table");
    }

    private static String bucket() {
        return stack.physicalId("Bucket");
    }

    private static Map<String, AttributeValue> item(String id) {
        return Map.of("id", AttributeValue.fromS(id), "owner", AttributeValue.fromS("alice"));
    }

    @Test
    void grantedCallsGoThroughAndAreRecordedWithTheGrantTheyUsed() {
        dynamoDb.putItem(put -> put.tableName(table()).item(item("granted")));
        assertEquals("alice", dynamoDb.getItem(get -> get.tableName(table()).key(Map.of("id", AttributeValue.fromS("granted"))))
                .item().get("owner").s());
        assertEquals(1, dynamoDb.query(query -> query.tableName(table()).indexName("ByOwner")
                .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("alice")))).count() >= 1 ? 1 : 0);
        sqs.sendMessage(send -> send.queueUrl(stack.physicalId("Queue")).messageBody("hello"));
        // SendMessageBatch is authorized as sqs:SendMessage, which SQSSendMessagePolicy's sqs:SendMessage* covers
        sqs.sendMessageBatch(batch -> batch.queueUrl(stack.physicalId("Queue"))
                .entries(entry -> entry.id("1").messageBody("one")));

        List<IamRecorder.Check> checks = RECORDER.checks();
        IamRecorder.Check query = checks.stream().filter(c -> c.action().equals("dynamodb:Query")).findFirst().orElseThrow();
        assertTrue(query.allowed(), query.toString());
        assertEquals("Table/index/ByOwner", query.resource());
        assertEquals("Policies[0] (DynamoDBReadPolicy, SAM policy template) Statement[0]",
                query.usedGrants().get(0).statement());
        assertEquals("Table/index/*", query.usedGrants().get(0).resource());
        assertTrue(checks.stream().anyMatch(c -> c.action().equals("sqs:SendMessage") && c.allowed()
                && c.usedGrants().get(0).action().equals("sqs:SendMessage*")), checks.toString());
    }

    @Test
    void aDeniedDynamoDbCallFailsWithAccessDeniedExceptionBeforeItIsSent() {
        dynamoDb.putItem(put -> put.tableName(table()).item(item("kept")));
        DynamoDbException denied = assertThrows(DynamoDbException.class, () -> dynamoDb.deleteItem(delete -> delete
                .tableName(table()).key(Map.of("id", AttributeValue.fromS("kept")))));
        assertEquals(400, denied.statusCode());
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        String arn = "arn:aws:dynamodb:us-east-1:000000000000:table/" + table();
        assertTrue(denied.getMessage().startsWith("User: arn:aws:sts::000000000000:assumed-role/iam-interceptor-FnRole/"
                + "iam-interceptor-Fn is not authorized to perform: dynamodb:DeleteItem on resource: " + arn
                + " because no identity-based policy allows the dynamodb:DeleteItem action"), denied.getMessage());
        assertTrue(dynamoDb.getItem(get -> get.tableName(table()).key(Map.of("id", AttributeValue.fromS("kept")))).hasItem(),
                "a refused call is never sent");
        assertTrue(log().contains("IAM: Fn denied dynamodb:DeleteItem on " + arn + " (DynamoDb.DeleteItem); role "
                + "arn:aws:iam::000000000000:role/iam-interceptor-FnRole: no statement of the role allows it"), log());
    }

    @Test
    void aQueryOfTheTableItselfNeedsTheTableNotAnIndex() {
        dynamoDb.putItem(put -> put.tableName(table()).item(item("q")));
        // DynamoDBReadPolicy grants Query on the table too; an UpdateItem is granted nowhere
        assertEquals(1, dynamoDb.query(query -> query.tableName(table()).keyConditionExpression("id = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("q")))).count());
        DynamoDbException denied = assertThrows(DynamoDbException.class, () -> dynamoDb.updateItem(update -> update
                .tableName(table()).key(Map.of("id", AttributeValue.fromS("q")))
                .updateExpression("SET #o = :o").expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("bob")))));
        assertTrue(denied.getMessage().contains("dynamodb:UpdateItem"), denied.getMessage());
    }

    @Test
    void eachItemOfATransactionNeedsItsOwnAction() {
        DynamoDbException denied = assertThrows(DynamoDbException.class, () -> dynamoDb.transactWriteItems(transaction -> transaction
                .transactItems(put -> put.put(p -> p.tableName(table()).item(item("in-transaction"))),
                        check -> check.conditionCheck(c -> c.tableName(table())
                                .key(Map.of("id", AttributeValue.fromS("granted"))).conditionExpression("attribute_exists(id)")))));
        assertTrue(denied.getMessage().contains("dynamodb:ConditionCheckItem"), denied.getMessage());
        assertTrue(RECORDER.checks().stream().anyMatch(c -> c.action().equals("dynamodb:PutItem") && c.allowed()
                && c.resource().equals("Table")), "the Put item was checked as PutItem and allowed");
        assertTrue(!dynamoDb.getItem(get -> get.tableName(table()).key(Map.of("id", AttributeValue.fromS("in-transaction"))))
                .hasItem(), "nothing of a refused transaction is written");
    }

    @Test
    void aDeniedSqsCallFailsWithTheQueryCompatibleAccessDeniedCode() {
        SqsException denied = assertThrows(SqsException.class, () -> sqs.purgeQueue(purge -> purge
                .queueUrl(stack.physicalId("Queue"))));
        assertEquals(403, denied.statusCode());
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertTrue(denied.getMessage().contains("sqs:PurgeQueue on resource: arn:aws:sqs:us-east-1:000000000000:"
                + stack.attribute("Queue", "QueueName")), denied.getMessage());
    }

    @Test
    void s3RefusesAWriteOutsideTheGrantAndUnderAnExplicitDeny() {
        s3.putObject(put -> put.bucket(bucket()).key("results/ok"), RequestBody.fromString("ok"));
        AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> s3.putObject(put -> put
                .bucket(bucket()).key("locked/no"), RequestBody.fromString("no")));
        assertEquals(403, denied.statusCode());
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertTrue(denied.getMessage().contains("with an explicit deny in an identity-based policy"), denied.getMessage());
        assertThrows(NoSuchKeyException.class, () -> unchecked.headObject(head -> head.bucket(bucket()).key("locked/no")),
                "the refused write never reached S3");
    }

    @Test
    void aMissingKeyIs404WhereTheRoleMayListItAnd403Elsewhere() {
        // s3:ListBucket is granted for the prefix results/*: S3 may tell that the key is missing
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(head -> head.bucket(bucket()).key("results/missing")));
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(get -> get.bucket(bucket()).key("results/missing")));

        // elsewhere s3:GetObject is granted, s3:ListBucket is not: 403, as AWS answers
        S3Exception head = assertThrows(S3Exception.class, () -> s3.headObject(head2 -> head2.bucket(bucket()).key("other/missing")));
        assertEquals(403, head.statusCode());
        assertNull(head.awsErrorDetails().errorCode(), "a HEAD answer has no body, hence no code");
        assertEquals("Forbidden", head.awsErrorDetails().errorMessage());
        AccessDeniedException get = assertThrows(AccessDeniedException.class,
                () -> s3.getObjectAsBytes(get2 -> get2.bucket(bucket()).key("other/missing")));
        assertEquals("AccessDenied", get.awsErrorDetails().errorCode());
        assertTrue(log().contains("IAM: Fn read a missing key of " + bucket() + " (other/missing) without s3:ListBucket"),
                log());

        // an existing key reads normally either way
        unchecked.putObject(put -> put.bucket(bucket()).key("other/present"), RequestBody.fromString("here"));
        assertEquals("here", s3.getObjectAsBytes(get3 -> get3.bucket(bucket()).key("other/present")).asUtf8String());
    }

    @Test
    void aDeniedPresignIsReportedAndRecordedButNotRefused() {
        // the presigner hands its request to the global interceptors (a function's class path has the
        // interceptor among them); AWS refuses the URL when it is used, not when it is signed
        IamEnforcer enforcer = IamEnforcer.create(stack, RECORDER, new PrintStream(LOG, true, StandardCharsets.UTF_8));
        Map<String, String> refusal = enforcer.guard("Fn").apply(Map.of("@service", "S3", "@operation", "PutObject",
                "@phase", "presign", "Bucket", bucket(), "Key", "locked/presigned"));
        assertEquals("AccessDenied", refusal.get("code"), "the interceptor ignores it for a presign");
        IamRecorder.Check check = RECORDER.checks().stream()
                .filter(c -> c.phase().equals("presign") && c.resource().endsWith("locked/presigned")).findFirst().orElseThrow();
        assertTrue(!check.allowed(), check.toString());
        assertTrue(log().contains("presigned s3:PutObject on arn:aws:s3:::" + bucket() + "/locked/presigned: S3 would refuse"),
                log());
    }

    @Test
    void theUnusedGrantsAreThoseNoCheckMatched() {
        List<IamRecorder.Grant> grants = IamRecorder.grants(List.of(IamEnforcer.create(stack, null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).roles().get("Fn")), ResourceArns.of(stack));
        IamRecorder fresh = new IamRecorder();
        assertEquals(grants.stream().sorted(java.util.Comparator.comparing(IamRecorder.Grant::functionId)
                .thenComparing(IamRecorder.Grant::action).thenComparing(IamRecorder.Grant::resource)).toList(),
                fresh.unused(grants), "with no calls, every grant is unused");
        assertTrue(grants.stream().anyMatch(g -> g.action().equals("logs:CreateLogStream") && g.platform()),
                "SAM's AWSLambdaBasicExecutionRole is part of the role, for Lambda itself");
    }

    private static String log() {
        return LOG.toString(StandardCharsets.UTF_8);
    }
}
