package dev.longhaul.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What IAM authorizes for one SDK call, as the Service Authorization Reference defines it: the
 * actions, the resources they act on and the request's condition keys. A transaction or a batch is
 * several accesses (each item of {@code TransactWriteItems} needs {@code PutItem},
 * {@code UpdateItem}, {@code DeleteItem} or {@code ConditionCheckItem} on its own table; a batch
 * its action on each table), and several S3 operations share an action ({@code HeadObject} is
 * {@code s3:GetObject}, a multipart upload is {@code s3:PutObject}).
 *
 * <p>The call comes from the function's interceptor as the request's naming fields by path
 * ({@code TableName}, {@code TransactItems[0].Put.TableName}, {@code RequestItems{table}}...).
 */
final class AwsCalls {

    /** An action on a resource, with the condition keys the request sets. {@code resource} null: not determined locally. */
    record Access(String action, String resource, Map<String, String> context) {
        Access {
            context = Map.copyOf(context);
        }
    }

    /** The condition keys whose values the local cloud knows, per service prefix (absent from a request: absent on AWS too). */
    static final Map<String, List<String>> KNOWN_KEYS = Map.of(
            "dynamodb", List.of("dynamodb:Select", "dynamodb:ReturnValues", "dynamodb:ReturnConsumedCapacity"),
            "s3", List.of("s3:prefix", "s3:delimiter", "s3:max-keys", "s3:x-amz-server-side-encryption", "s3:x-amz-acl",
                    "s3:VersionId"),
            "sqs", List.of());
    static final List<String> GLOBAL_KEYS = List.of("aws:SecureTransport", "aws:RequestedRegion", "aws:PrincipalArn",
            "aws:PrincipalAccount", "aws:PrincipalType", "aws:CurrentTime", "aws:EpochTime");

    private static final Map<String, String> SERVICE_PREFIXES = Map.of(
            "DynamoDb", "dynamodb", "DynamoDbStreams", "dynamodb", "Sqs", "sqs", "S3", "s3", "Kms", "kms",
            "CloudWatchLogs", "logs", "EventBridge", "events", "SecretsManager", "secretsmanager", "Sns", "sns");
    private static final Map<String, String> TRANSACT_WRITE_ACTIONS = Map.of("Put", "PutItem", "Update", "UpdateItem",
            "Delete", "DeleteItem", "ConditionCheck", "ConditionCheckItem");
    private static final Map<String, String> SQS_BATCH_ACTIONS = Map.of("SendMessageBatch", "SendMessage",
            "DeleteMessageBatch", "DeleteMessage", "ChangeMessageVisibilityBatch", "ChangeMessageVisibility");
    /** S3 operations on an object and the action each needs, where it is not the operation's own name. */
    private static final Map<String, String> S3_OBJECT_ACTIONS = Map.ofEntries(
            Map.entry("GetObject", "GetObject"), Map.entry("HeadObject", "GetObject"),
            Map.entry("PutObject", "PutObject"), Map.entry("CreateMultipartUpload", "PutObject"),
            Map.entry("UploadPart", "PutObject"), Map.entry("CompleteMultipartUpload", "PutObject"),
            Map.entry("CopyObject", "PutObject"), Map.entry("UploadPartCopy", "PutObject"),
            Map.entry("AbortMultipartUpload", "AbortMultipartUpload"), Map.entry("ListParts", "ListMultipartUploadParts"),
            Map.entry("DeleteObject", "DeleteObject"), Map.entry("GetObjectTagging", "GetObjectTagging"),
            Map.entry("PutObjectTagging", "PutObjectTagging"), Map.entry("DeleteObjectTagging", "DeleteObjectTagging"),
            Map.entry("GetObjectAcl", "GetObjectAcl"), Map.entry("PutObjectAcl", "PutObjectAcl"),
            Map.entry("GetObjectAttributes", "GetObjectAttributes"), Map.entry("RestoreObject", "RestoreObject"));
    /** S3 operations on a bucket and the action each needs. */
    private static final Map<String, String> S3_BUCKET_ACTIONS = Map.of(
            "ListObjects", "ListBucket", "ListObjectsV2", "ListBucket", "HeadBucket", "ListBucket",
            "ListObjectVersions", "ListBucketVersions", "ListMultipartUploads", "ListBucketMultipartUploads",
            "GetBucketLocation", "GetBucketLocation");
    private static final Pattern INDEXED = Pattern.compile("^TransactItems\\[(\\d+)]\\.(\\w+)\\.TableName$");
    private static final Pattern MAP_KEY = Pattern.compile("^RequestItems\\{(.*)}$");
    private static final Pattern OBJECTS = Pattern.compile("^Delete\\.Objects\\[(\\d+)]\\.Key$");

    private AwsCalls() {
    }

    static String service(Map<String, String> call) {
        String service = call.get("@service");
        return SERVICE_PREFIXES.getOrDefault(service, service.toLowerCase(Locale.ROOT));
    }

    /** The accesses one call needs. */
    static List<Access> accesses(Map<String, String> call, ResourceArns arns) {
        String prefix = service(call);
        String operation = call.get("@operation");
        return switch (prefix) {
            case "dynamodb" -> dynamoDb(call, operation, arns);
            case "sqs" -> sqs(call, operation, arns);
            case "s3" -> s3(call, operation);
            default -> List.of(new Access(prefix + ":" + operation, generic(call, arns), Map.of()));
        };
    }

    /**
     * What S3 checks before it answers 404 to a read of a missing key: {@code s3:ListBucket} on the
     * bucket, with the key as {@code s3:prefix} (so a grant limited to a prefix covers the keys
     * under it). AWS does not document the prefix; Ceph's RGW evaluates it so to match AWS
     * (ceph/ceph#68577).
     */
    static Access missingObject(Map<String, String> call) {
        return new Access("s3:ListBucket", ResourceArns.bucket(call.get("Bucket")),
                Map.of("s3:prefix", call.getOrDefault("Key", "")));
    }

    private static List<Access> dynamoDb(Map<String, String> call, String operation, ResourceArns arns) {
        List<Access> accesses = new ArrayList<>();
        Map<String, String> context = new LinkedHashMap<>();
        for (String field : List.of("Select", "ReturnValues", "ReturnConsumedCapacity")) {
            if (call.containsKey(field)) {
                context.put("dynamodb:" + field, call.get(field));
            }
        }
        if (operation.equals("TransactWriteItems") || operation.equals("TransactGetItems")) {
            call.forEach((path, value) -> {
                Matcher item = INDEXED.matcher(path);
                if (item.matches()) {
                    String action = operation.equals("TransactGetItems") ? "GetItem"
                            : TRANSACT_WRITE_ACTIONS.getOrDefault(item.group(2), item.group(2));
                    accesses.add(new Access("dynamodb:" + action, arns.table(value), context));
                }
            });
            return accesses;
        }
        if (operation.equals("BatchGetItem") || operation.equals("BatchWriteItem")) {
            call.keySet().forEach(path -> {
                Matcher table = MAP_KEY.matcher(path);
                if (table.matches()) {
                    accesses.add(new Access("dynamodb:" + operation, arns.table(table.group(1)), context));
                }
            });
            return accesses;
        }
        String table = call.get("TableName");
        String resource = table == null ? streamOrAny(call, arns) : arns.table(table);
        if (table != null && call.containsKey("IndexName") && (operation.equals("Query") || operation.equals("Scan"))) {
            resource = resource + "/index/" + call.get("IndexName");
        }
        return List.of(new Access("dynamodb:" + operation, resource, context));
    }

    private static String streamOrAny(Map<String, String> call, ResourceArns arns) {
        String stream = call.get("StreamArn");
        return stream == null ? "*" : arns.canonical(stream);
    }

    private static List<Access> sqs(Map<String, String> call, String operation, ResourceArns arns) {
        String action = "sqs:" + SQS_BATCH_ACTIONS.getOrDefault(operation, operation);
        String resource = call.containsKey("QueueUrl") ? arns.queueByUrl(call.get("QueueUrl"))
                : call.containsKey("QueueName") ? arns.queueByName(call.get("QueueName")) : "*";
        return List.of(new Access(action, resource, Map.of()));
    }

    private static List<Access> s3(Map<String, String> call, String operation) {
        String bucket = call.get("Bucket");
        if (operation.equals("DeleteObjects")) {
            List<Access> accesses = new ArrayList<>();
            call.forEach((path, key) -> {
                if (OBJECTS.matcher(path).matches()) {
                    accesses.add(new Access("s3:DeleteObject", ResourceArns.object(bucket, key), Map.of()));
                }
            });
            return accesses;
        }
        Map<String, String> context = new LinkedHashMap<>();
        if (call.containsKey("ServerSideEncryption")) {
            context.put("s3:x-amz-server-side-encryption", call.get("ServerSideEncryption"));
        }
        if (call.containsKey("ACL")) {
            context.put("s3:x-amz-acl", call.get("ACL"));
        }
        String objectAction = S3_OBJECT_ACTIONS.get(operation);
        if (objectAction != null && bucket != null && call.containsKey("Key")) {
            if (call.containsKey("VersionId")) {
                context.put("s3:VersionId", call.get("VersionId"));
                objectAction = objectAction.equals("GetObject") ? "GetObjectVersion" : objectAction;
            }
            List<Access> accesses = new ArrayList<>();
            accesses.add(new Access("s3:" + objectAction, ResourceArns.object(bucket, call.get("Key")), context));
            if (operation.equals("CopyObject") || operation.equals("UploadPartCopy")) {
                String sourceBucket = call.get("SourceBucket");
                String sourceKey = call.get("SourceKey");
                if (sourceBucket != null && sourceKey != null) {
                    accesses.add(new Access("s3:GetObject", ResourceArns.object(sourceBucket, sourceKey), Map.of()));
                }
            }
            return accesses;
        }
        if (S3_BUCKET_ACTIONS.containsKey(operation) && bucket != null) {
            for (String[] key : new String[][] {{"Prefix", "s3:prefix"}, {"Delimiter", "s3:delimiter"},
                    {"MaxKeys", "s3:max-keys"}}) {
                if (call.containsKey(key[0])) {
                    context.put(key[1], call.get(key[0]));
                }
            }
            return List.of(new Access("s3:" + S3_BUCKET_ACTIONS.get(operation), ResourceArns.bucket(bucket), context));
        }
        String resource = bucket == null ? "*" : call.containsKey("Key") ? ResourceArns.object(bucket, call.get("Key"))
                : ResourceArns.bucket(bucket);
        return List.of(new Access("s3:" + operation, resource, context));
    }

    /** A service the local cloud has no table for: its first ARN-valued field, else undetermined. */
    private static String generic(Map<String, String> call, ResourceArns arns) {
        for (Map.Entry<String, String> field : call.entrySet()) {
            if (!field.getKey().startsWith("@") && field.getValue().startsWith("arn:")) {
                return arns.canonical(field.getValue());
            }
        }
        return null;
    }
}
