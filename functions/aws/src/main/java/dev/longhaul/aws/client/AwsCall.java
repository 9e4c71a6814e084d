package dev.longhaul.aws.client;

import java.net.URI;

/**
 * One network attempt: the service ({@code DynamoDb}, {@code Sqs}, {@code S3}), the operation
 * ({@code PutItem}), the attempt number (1 for the first try) and the request URI (which, for
 * S3, names the bucket and key; it carries no credentials).
 */
public record AwsCall(String service, String operation, int attempt, URI uri) {
}
