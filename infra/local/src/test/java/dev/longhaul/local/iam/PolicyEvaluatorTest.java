package dev.longhaul.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IAM's evaluation rules, statement by statement, without a cloud. */
class PolicyEvaluatorTest {

    private static final String TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/tasks";
    private static final String BUCKET = "arn:aws:s3:::results";
    private static final ResourceArns ARNS = new ResourceArns("us-east-1", "000000000000",
            Map.of("arn:aws:dynamodb:ddblocal:000000000000:table/tasks", TABLE), Map.of(), Map.of(TABLE, "TasksTable"));

    private static PolicyEvaluator.Decision evaluate(String statements, String action, String resource,
                                                     Map<String, String> context) {
        Object document = dev.longhaul.core.json.Json.parse("{\"Statement\": " + statements + "}");
        ExecutionRole role = new ExecutionRole("Fn", "r", "arn:aws:iam::000000000000:role/r",
                "arn:aws:sts::000000000000:assumed-role/r/fn", Statement.of(document, "Policies[0]", false, ARNS));
        return PolicyEvaluator.evaluate(role, new AwsCalls.Access(action, resource, context),
                Map.of("aws:SecureTransport", "true"));
    }

    private static boolean allowed(String statements, String action, String resource) {
        return evaluate(statements, action, resource, Map.of()).allowed();
    }

    @Test
    void actionsMatchCaseInsensitivelyWithWildcards() {
        String statement = "[{\"Effect\": \"Allow\", \"Action\": [\"sqs:SendMessage*\", \"dynamodb:Get?tem\"], \"Resource\": \"*\"}]";
        assertTrue(allowed(statement, "sqs:sendmessage", "arn:aws:sqs:us-east-1:000000000000:q"));
        assertTrue(allowed(statement, "sqs:SendMessageBatch", "arn:aws:sqs:us-east-1:000000000000:q"));
        assertTrue(allowed(statement, "dynamodb:GetItem", TABLE));
        assertFalse(allowed(statement, "dynamodb:GetItems", TABLE));
        assertFalse(allowed(statement, "sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:000000000000:q"));
    }

    @Test
    void resourcesMatchComponentByComponentAndCaseSensitively() {
        String statement = "[{\"Effect\": \"Allow\", \"Action\": \"dynamodb:Query\", \"Resource\": [\"" + TABLE
                + "/index/ByOwner\", \"arn:aws:dynamodb:*:*:table/other\"]}]";
        assertTrue(allowed(statement, "dynamodb:Query", TABLE + "/index/ByOwner"));
        assertFalse(allowed(statement, "dynamodb:Query", TABLE), "an index grant is not a grant on its table");
        assertFalse(allowed(statement, "dynamodb:Query", TABLE + "/index/BySweepAt"));
        assertFalse(allowed(statement, "dynamodb:Query", TABLE + "/index/byowner"));
        assertTrue(allowed(statement, "dynamodb:Query", "arn:aws:dynamodb:eu-west-1:111111111111:table/other"));
        assertTrue(PolicyEvaluator.arnMatches(BUCKET + "/results/*", BUCKET + "/results/a/b:c"),
                "the resource part may hold slashes and colons");
        assertFalse(PolicyEvaluator.arnMatches("arn:aws:sqs:*:q", "arn:aws:sqs:us-east-1:000000000000:q"),
                "a wildcard does not reach across the ARN's colons");
    }

    @Test
    void aBackendsArnInAPolicyIsReadInTheCanonicalForm() {
        String statement = "[{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItem\","
                + " \"Resource\": \"arn:aws:dynamodb:ddblocal:000000000000:table/tasks\"}]";
        assertTrue(allowed(statement, "dynamodb:GetItem", TABLE));
        assertEquals("TasksTable/index/x", ARNS.describe(TABLE + "/index/x"));
    }

    @Test
    void anExplicitDenyWinsOverAnyAllow() {
        String statements = "[{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"" + BUCKET + "/*\"},"
                + " {\"Effect\": \"Deny\", \"Action\": \"s3:DeleteObject\", \"Resource\": \"" + BUCKET + "/keep/*\"}]";
        assertTrue(allowed(statements, "s3:DeleteObject", BUCKET + "/other/x"));
        PolicyEvaluator.Decision denied = evaluate(statements, "s3:DeleteObject", BUCKET + "/keep/x", Map.of());
        assertEquals(PolicyEvaluator.Outcome.EXPLICIT_DENY, denied.outcome());
        assertEquals(1, denied.deniedBy().index());
    }

    @Test
    void notActionAndNotResourceMatchEverythingElse() {
        String statement = "[{\"Effect\": \"Allow\", \"NotAction\": \"s3:Delete*\", \"NotResource\": \"" + BUCKET + "/keep/*\"}]";
        assertTrue(allowed(statement, "s3:GetObject", BUCKET + "/x"));
        assertFalse(allowed(statement, "s3:DeleteObject", BUCKET + "/x"));
        assertFalse(allowed(statement, "s3:GetObject", BUCKET + "/keep/x"));
    }

    @Test
    void stringLikeOnThePrefixScopesAListGrant() {
        String statement = "[{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"" + BUCKET + "\","
                + " \"Condition\": {\"StringLike\": {\"s3:prefix\": [\"results/*\", \"checkpoints/*\"]}}}]";
        assertTrue(evaluate(statement, "s3:ListBucket", BUCKET, Map.of("s3:prefix", "results/t1")).allowed());
        assertTrue(evaluate(statement, "s3:ListBucket", BUCKET, Map.of("s3:prefix", "checkpoints/t1")).allowed());
        assertFalse(evaluate(statement, "s3:ListBucket", BUCKET, Map.of("s3:prefix", "other/t1")).allowed());
        assertFalse(evaluate(statement, "s3:ListBucket", BUCKET, Map.of()).allowed(),
                "a condition on a key the request lacks is false");
    }

    @Test
    void conditionOperatorsFollowIam() {
        assertTrue(PolicyEvaluator.holds("StringEqualsIfExists", null, List.of("x")), "IfExists: true when absent");
        assertTrue(PolicyEvaluator.holds("StringNotEquals", null, List.of("x")), "negated: true when absent");
        assertFalse(PolicyEvaluator.holds("StringEquals", null, List.of("x")));
        assertTrue(PolicyEvaluator.holds("StringNotLike", "b/1", List.of("a/*")));
        assertFalse(PolicyEvaluator.holds("StringNotLike", "a/1", List.of("a/*")));
        assertTrue(PolicyEvaluator.holds("StringEqualsIgnoreCase", "ABC", List.of("abc")));
        assertTrue(PolicyEvaluator.holds("Null", null, List.of("true")));
        assertFalse(PolicyEvaluator.holds("Null", "v", List.of("true")));
        assertTrue(PolicyEvaluator.holds("Bool", "true", List.of("true")));
        assertTrue(PolicyEvaluator.holds("NumericLessThan", "1.1", List.of("1.2")));
        assertFalse(PolicyEvaluator.holds("NumericGreaterThan", "300000", List.of("300000")));
        assertTrue(PolicyEvaluator.holds("DateGreaterThan", "2026-01-02T00:00:00Z", List.of("2026-01-01T00:00:00Z")));
        assertTrue(PolicyEvaluator.holds("ArnLike", "arn:aws:iam::000000000000:role/admin-1", List.of("arn:aws:iam::*:role/admin-*")));
        assertTrue(PolicyEvaluator.holds("ForAnyValue:StringLike", "a1", List.of("a*")));
        assertFalse(PolicyEvaluator.holds("ForAnyValue:StringLike", null, List.of("a*")));
        assertTrue(PolicyEvaluator.holds("ForAllValues:StringLike", null, List.of("a*")));
    }

    @Test
    void aConditionOnAKeyTheLocalCloudDoesNotKnowFailsClosedAndIsReported() {
        String allow = "[{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItem\", \"Resource\": \"" + TABLE + "\","
                + " \"Condition\": {\"ForAllValues:StringEquals\": {\"dynamodb:LeadingKeys\": [\"${aws:userid}\"]}}}]";
        PolicyEvaluator.Decision decision = evaluate(allow, "dynamodb:GetItem", TABLE, Map.of());
        assertFalse(decision.allowed());
        assertEquals(java.util.Set.of("dynamodb:LeadingKeys"), decision.unknownKeys());

        String deny = "[{\"Effect\": \"Allow\", \"Action\": \"dynamodb:*\", \"Resource\": \"*\"},"
                + " {\"Effect\": \"Deny\", \"Action\": \"dynamodb:GetItem\", \"Resource\": \"*\","
                + " \"Condition\": {\"StringEquals\": {\"dynamodb:Attributes\": [\"secret\"]}}}]";
        assertEquals(PolicyEvaluator.Outcome.EXPLICIT_DENY, evaluate(deny, "dynamodb:GetItem", TABLE, Map.of()).outcome());
    }

    @Test
    void globalKeysComeFromTheCallsContext() {
        String statement = "[{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"*\","
                + " \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}}]";
        assertTrue(allowed(statement, "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:q"),
                "Lambda reaches AWS over TLS");
    }

    @Test
    void callsBecomeTheAccessesIamAuthorizes() {
        ResourceArns arns = new ResourceArns("us-east-1", "000000000000", Map.of(),
                Map.of("http://127.0.0.1:9324/000000000000/work", "arn:aws:sqs:us-east-1:000000000000:work"), Map.of());
        List<AwsCalls.Access> transaction = AwsCalls.accesses(Map.of("@service", "DynamoDb", "@operation", "TransactWriteItems",
                "TransactItems[0].Put.TableName", "tasks", "TransactItems[1].Update.TableName", "owners",
                "TransactItems[2].ConditionCheck.TableName", "tasks"), arns);
        assertEquals(java.util.Set.of("dynamodb:PutItem tasks", "dynamodb:UpdateItem owners", "dynamodb:ConditionCheckItem tasks"),
                transaction.stream().map(a -> a.action() + " " + a.resource().substring(a.resource().lastIndexOf('/') + 1))
                        .collect(java.util.stream.Collectors.toSet()));
        assertEquals(TABLE + "/index/ByOwner", AwsCalls.accesses(Map.of("@service", "DynamoDb", "@operation", "Query",
                "TableName", "tasks", "IndexName", "ByOwner"), arns).get(0).resource());
        assertEquals(List.of("dynamodb:BatchGetItem"), AwsCalls.accesses(Map.of("@service", "DynamoDb",
                "@operation", "BatchGetItem", "RequestItems{tasks}", ""), arns).stream().map(AwsCalls.Access::action).toList());
        AwsCalls.Access batch = AwsCalls.accesses(Map.of("@service", "Sqs", "@operation", "SendMessageBatch",
                "QueueUrl", "http://127.0.0.1:9324/000000000000/work"), arns).get(0);
        assertEquals("sqs:SendMessage arn:aws:sqs:us-east-1:000000000000:work", batch.action() + " " + batch.resource());
        assertEquals("s3:GetObject " + BUCKET + "/results/t", one(AwsCalls.accesses(Map.of("@service", "S3",
                "@operation", "HeadObject", "Bucket", "results", "Key", "results/t"), arns)));
        assertEquals("s3:PutObject " + BUCKET + "/results/t", one(AwsCalls.accesses(Map.of("@service", "S3",
                "@operation", "UploadPart", "Bucket", "results", "Key", "results/t"), arns)));
        assertEquals("s3:ListMultipartUploadParts " + BUCKET + "/results/t", one(AwsCalls.accesses(Map.of("@service", "S3",
                "@operation", "ListParts", "Bucket", "results", "Key", "results/t"), arns)));
        AwsCalls.Access list = AwsCalls.accesses(Map.of("@service", "S3", "@operation", "ListObjectsV2",
                "Bucket", "results", "Prefix", "results/"), arns).get(0);
        assertEquals("s3:ListBucket " + BUCKET + " results/", list.action() + " " + list.resource() + " "
                + list.context().get("s3:prefix"));
        assertEquals("s3:ListBucket " + BUCKET + " results/t", AwsCalls.missingObject(Map.of("Bucket", "results",
                "Key", "results/t")).action() + " " + BUCKET + " " + AwsCalls.missingObject(Map.of("Bucket", "results",
                "Key", "results/t")).context().get("s3:prefix"));
    }

    private static String one(List<AwsCalls.Access> accesses) {
        assertEquals(1, accesses.size(), accesses.toString());
        return accesses.get(0).action() + " " + accesses.get(0).resource();
    }
}
