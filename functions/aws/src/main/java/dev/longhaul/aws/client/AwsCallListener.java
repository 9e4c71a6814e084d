package dev.longhaul.aws.client;

/**
 * Told of every network attempt: to count calls, or, in reliability tests, to fail an attempt
 * (by throwing an {@link AwsServiceException} before it is sent, which is then handled exactly
 * like the same error from the service) or to crash the caller after a write succeeded.
 */
public interface AwsCallListener {
    /** Just before the attempt is sent. */
    void beforeSend(AwsCall call);

    /** After the service answered the attempt with a success; what this throws reaches the caller. */
    default void afterSuccess(AwsCall call) {
    }
}
