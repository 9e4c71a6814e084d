package dev.longhaul.aws.client;

/**
 * One network attempt about to be sent: the service ({@code DynamoDb}, {@code Sqs}, {@code S3}),
 * the operation ({@code PutItem}) and the attempt number (1 for the first try).
 */
public record AwsCall(String service, String operation, int attempt) {
}
