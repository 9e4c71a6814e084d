package dev.longhaul.aws.dynamodb;

import dev.longhaul.aws.client.AwsServiceException;

/** A write whose condition expression did not hold: nothing was written. */
public final class ConditionalCheckFailedException extends AwsServiceException {
    public ConditionalCheckFailedException(String operation, int status, String message) {
        super("DynamoDb", operation, status, "ConditionalCheckFailedException", message);
    }
}
