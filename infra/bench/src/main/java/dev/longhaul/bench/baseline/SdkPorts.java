package dev.longhaul.bench.baseline;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.port.MessageVisibility;
import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.port.ResultUpload;
import dev.longhaul.core.port.SecretKeys;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.TaskCodec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The other ports on SDK clients, for the cold-start baseline: the same requests the functions'
 * adapters send (SendMessage, ChangeMessageVisibility, an encrypted PutObject, a presigned GET),
 * without what the benchmark never reaches (multipart uploads and checkpoints).
 */
final class SdkPorts {
    private SdkPorts() {
    }

    static WorkQueue queue(SqsClient sqs, String queueUrl) {
        return task -> sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(Json.write(TaskCodec.toJson(task))));
    }

    static MessageVisibility visibility(SqsClient sqs, String queueUrl) {
        return (receipt, duration) -> sqs.changeMessageVisibility(change -> change
                .queueUrl(queueUrl).receiptHandle(receipt).visibilityTimeout((int) duration.getSeconds()));
    }

    static SecretKeys secretKeys(DynamoDbClient dynamoDb, String tableName) {
        return name -> {
            Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("key#" + name));
            Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(tableName).key(key)
                    .consistentRead(true)).item();
            if (item != null && item.containsKey("secret")) {
                return item.get("secret").b().asByteArray();
            }
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            dynamoDb.putItem(put -> put.tableName(tableName).item(Map.of("id", key.get("id"),
                    "secret", AttributeValue.fromB(SdkBytes.fromByteArray(fresh)))));
            return fresh;
        };
    }

    static ResultStore results(S3Client s3, S3Presigner presigner, String bucket) {
        return new ResultStore() {
            @Override
            public ResultUpload open(String taskId, String contentType) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                return new ResultUpload() {
                    @Override
                    public OutputStream stream() {
                        return bytes;
                    }

                    @Override
                    public long commit() {
                        s3.putObject(put -> put.bucket(bucket).key("results/" + taskId).contentType(contentType)
                                .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(bytes.toByteArray()));
                        return bytes.size();
                    }

                    @Override
                    public void abort() {
                    }
                };
            }

            @Override
            public URI presignedDownload(String taskId, String contentType, String fileName, Duration ttl) {
                try {
                    return presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(g -> g
                            .bucket(bucket).key("results/" + taskId).responseContentType(contentType)
                            .responseContentDisposition("attachment; filename=\"" + taskId + "\"")
                            .responseCacheControl("no-store"))).url().toURI();
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public OptionalLong storedSize(String taskId) {
                try {
                    return OptionalLong.of(s3.headObject(h -> h.bucket(bucket).key("results/" + taskId)).contentLength());
                } catch (NoSuchKeyException e) {
                    return OptionalLong.empty();
                }
            }

            @Override
            public void delete(String taskId) {
                s3.deleteObject(d -> d.bucket(bucket).key("results/" + taskId));
            }
        };
    }
}
