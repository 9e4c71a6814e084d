package dev.longhaul.aws.client;

/**
 * Told of every network attempt just before it is sent: to count calls, or, in reliability
 * tests, to fail the attempt by throwing an {@link AwsServiceException}, which is then handled
 * exactly like the same error from the service (retried when retryable).
 */
@FunctionalInterface
public interface AwsCallListener {
    void beforeSend(AwsCall call);
}
