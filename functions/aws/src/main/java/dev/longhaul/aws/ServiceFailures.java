package dev.longhaul.aws;

import dev.longhaul.core.port.DependencyException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Which failures of a call to AWS may pass if the same request is made later: throttling, a
 * server-side error, the network or a time limit, as the SDK reports them after its own retries
 * (and core's {@link DependencyException}s that say so). The API answers those with 503 and
 * {@code Retry-After} instead of 500.
 */
public final class ServiceFailures {
    private ServiceFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        if (failure instanceof DependencyException dependency) {
            return dependency.isTransient();
        }
        if (failure instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return failure instanceof SdkClientException;
    }
}
