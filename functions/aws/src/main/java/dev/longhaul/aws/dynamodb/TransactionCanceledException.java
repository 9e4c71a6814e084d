package dev.longhaul.aws.dynamodb;

import dev.longhaul.aws.client.AwsServiceException;
import java.util.List;
import java.util.Map;

/** A transaction that wrote nothing, with one reason per write, in the order of the writes. */
public final class TransactionCanceledException extends AwsServiceException {
    private final List<Reason> reasons;

    public TransactionCanceledException(String operation, int status, String message, List<Reason> reasons) {
        super("DynamoDb", operation, status, "TransactionCanceledException", message);
        this.reasons = List.copyOf(reasons);
    }

    public List<Reason> cancellationReasons() {
        return reasons;
    }

    /** {@code code} is {@code None} for a write that was fine; {@code item} is the old item when asked for. */
    public record Reason(String code, String message, Map<String, Attr> item) {
    }
}
