package dev.longhaul.aws.client;

import dev.longhaul.core.port.DependencyException;
import java.util.Set;

/**
 * An error answered by an AWS service (or a network failure after the last attempt, with
 * status 0 and code {@code NetworkError}). The message is the service's own: it names no
 * request content, so it may be logged.
 */
public class AwsServiceException extends DependencyException {
    private static final long serialVersionUID = 1L;
    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException",
            "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
            "ProvisionedThroughputExceededException", "TransactionInProgressException",
            "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
            "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", "RequestTimeout",
            "RequestTimeoutException");

    private final String service;
    private final String operation;
    private final int statusCode;
    private final String errorCode;

    public AwsServiceException(String service, String operation, int statusCode, String errorCode, String message) {
        this(service, operation, statusCode, errorCode, message, null);
    }

    public AwsServiceException(String service, String operation, int statusCode, String errorCode, String message,
                               Throwable cause) {
        super(service + "." + operation + " failed: " + errorCode + " (" + statusCode + ")"
                + (message == null || message.isBlank() ? "" : ": " + message), cause);
        this.service = service;
        this.operation = operation;
        this.statusCode = statusCode;
        this.errorCode = errorCode;
    }

    public String service() {
        return service;
    }

    public String operation() {
        return operation;
    }

    public int statusCode() {
        return statusCode;
    }

    public String errorCode() {
        return errorCode;
    }

    public boolean isThrottling() {
        return statusCode == 429 || THROTTLING.contains(errorCode);
    }

    /** Worth another attempt: throttling, a server-side error, or the network. */
    public boolean isRetryable() {
        return isThrottling() || statusCode >= 500 || statusCode == 0;
    }

    @Override
    public boolean isTransient() {
        return isRetryable();
    }
}
