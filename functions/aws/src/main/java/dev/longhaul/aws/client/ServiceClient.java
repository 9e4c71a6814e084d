package dev.longhaul.aws.client;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Signs, sends and retries the requests of one service. Retries follow the SDKs' "standard"
 * mode: at most {@value #MAX_ATTEMPTS} attempts, for throttling, 5xx answers and network errors,
 * after an exponential backoff with full jitter (base {@value #BASE_DELAY_MILLIS} ms,
 * {@value #THROTTLED_BASE_DELAY_MILLIS} ms when throttled, at most {@value #MAX_DELAY_MILLIS} ms).
 */
public final class ServiceClient {
    public static final int MAX_ATTEMPTS = 3;
    static final long BASE_DELAY_MILLIS = 100;
    static final long THROTTLED_BASE_DELAY_MILLIS = 500;
    static final long MAX_DELAY_MILLIS = 20_000;

    /** Turns a response that is not a success into the service's error. */
    @FunctionalInterface
    public interface ErrorReader {
        /** @return the error, or null when the response is a success after all */
        AwsServiceException read(String operation, AwsResponse response);
    }

    private final String service;
    private final SigV4 signer;
    private final CredentialsSource credentials;
    private final Transport transport;
    private final List<AwsCallListener> listeners;
    private final ErrorReader errors;
    private final boolean unsignedPayloadOverTls;

    /**
     * @param service                display name in errors and calls ({@code DynamoDb})
     * @param signingName            the name in the signature's scope ({@code dynamodb})
     * @param unsignedPayloadOverTls S3: send {@code UNSIGNED-PAYLOAD} over https (TLS already
     *                               protects the body) instead of hashing every part
     */
    public ServiceClient(String service, String signingName, String region, CredentialsSource credentials,
                         Transport transport, List<AwsCallListener> listeners, ErrorReader errors,
                         boolean unsignedPayloadOverTls) {
        this.service = service;
        this.signer = new SigV4(signingName, region);
        this.credentials = credentials;
        this.transport = transport;
        this.listeners = List.copyOf(listeners);
        this.errors = errors;
        this.unsignedPayloadOverTls = unsignedPayloadOverTls;
    }

    public String service() {
        return service;
    }

    public SigV4 signer() {
        return signer;
    }

    public CredentialsSource credentials() {
        return credentials;
    }

    /** Sends until success or a final error; the response returned is a success. */
    public AwsResponse execute(String operation, String method, URI uri, Map<String, String> headers,
                               Transport.Body body) {
        String payloadHash = unsignedPayloadOverTls && "https".equals(uri.getScheme()) ? SigV4.UNSIGNED_PAYLOAD
                : body == null ? SigV4.sha256Hex(new byte[0], 0, 0)
                : SigV4.sha256Hex(body.bytes(), body.offset(), body.length());
        Map<String, String> toSign = new HashMap<>(headers);
        if (unsignedPayloadOverTls) {
            toSign.put("x-amz-content-sha256", payloadHash);
        }
        for (int attempt = 1; ; attempt++) {
            AwsServiceException failure;
            AwsCall call = new AwsCall(service, operation, attempt, uri);
            try {
                for (AwsCallListener listener : listeners) {
                    listener.beforeSend(call);
                }
                Map<String, String> signed = signer.sign(method, uri, toSign, payloadHash,
                        credentials.credentials(), Instant.now());
                AwsResponse response = transport.send(method, uri, signed, body);
                failure = errors.read(operation, response);
                if (failure == null) {
                    for (AwsCallListener listener : listeners) {
                        listener.afterSuccess(call);
                    }
                    return response;
                }
            } catch (AwsServiceException e) {
                failure = e;
            } catch (IOException e) {
                failure = new AwsServiceException(service, operation, 0, "NetworkError",
                        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
            }
            if (!failure.isRetryable() || attempt >= MAX_ATTEMPTS) {
                throw failure;
            }
            try {
                Thread.sleep(backoffMillis(attempt, failure.isThrottling()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    static long backoffMillis(int attempt, boolean throttled) {
        long base = throttled ? THROTTLED_BASE_DELAY_MILLIS : BASE_DELAY_MILLIS;
        long ceiling = Math.min(MAX_DELAY_MILLIS, base << Math.min(attempt - 1, 20));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
