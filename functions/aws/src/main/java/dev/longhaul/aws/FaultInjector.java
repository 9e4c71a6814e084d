package dev.longhaul.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Fails SDK requests at random, for reliability tests: switched on by {@code LONGHAUL_FAULTS}
 * (for example {@code dynamodb.throttle=0.05,s3.put=0.05,sqs.send=0.05}), off otherwise.
 * {@link AwsClients} adds it to every client only when that variable is set, so a function that
 * does not ask for faults never loads this class.
 *
 * <p>A fault replaces one network attempt: the request is never sent, and the attempt fails as
 * the service would (DynamoDB throttling with status 400 and its throttling error code, S3 and
 * SQS with an internal error 500). The SDK's retry policy then treats it like the real thing,
 * so a caller sees an exception only when every attempt drew a fault. Draws come from
 * {@code LONGHAUL_FAULTS_SEED} when set, to replay a run.
 */
public final class FaultInjector implements ExecutionInterceptor {
    public static final String VARIABLE = "LONGHAUL_FAULTS";
    public static final String SEED_VARIABLE = "LONGHAUL_FAULTS_SEED";

    /** What can be injected, by its name in {@code LONGHAUL_FAULTS}. */
    public enum Kind {
        /** Every DynamoDB operation: throttled (ProvisionedThroughputExceededException, 400). */
        DYNAMODB_THROTTLE("dynamodb.throttle"),
        /** S3 PutObject, UploadPart and CompleteMultipartUpload: internal error, 500. */
        S3_PUT("s3.put"),
        /** SQS SendMessage and SendMessageBatch: internal error, 500. */
        SQS_SEND("sqs.send");

        private final String setting;

        Kind(String setting) {
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }

    /** Faults injected by every injector in this JVM, for tests to report; never reset by a client. */
    private static final Map<Kind, AtomicLong> INJECTED = new EnumMap<>(Kind.class);

    static {
        for (Kind kind : Kind.values()) {
            INJECTED.put(kind, new AtomicLong());
        }
    }

    private final Map<Kind, Double> probabilities;
    private final Random random;

    private FaultInjector(Map<Kind, Double> probabilities, Random random) {
        this.probabilities = Collections.unmodifiableMap(new EnumMap<>(probabilities));
        this.random = random;
    }

    /**
     * An injector from the two variables' values.
     *
     * @throws IllegalStateException naming the variable when a value is malformed: a typo must
     *                               not silently run a test with no faults
     */
    public static FaultInjector of(String faults, String seed) {
        Map<Kind, Double> probabilities = parse(faults);
        return new FaultInjector(probabilities, seed == null || seed.isBlank() ? new Random() : new Random(parseSeed(seed)));
    }

    /** {@code interceptors} followed by an injector configured by the variables' values. */
    static List<ExecutionInterceptor> appendTo(List<ExecutionInterceptor> interceptors, String faults, String seed) {
        List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
        all.add(of(faults, seed));
        return all;
    }

    /** The probability of each kind this injector draws, absent kinds never injected. */
    public Map<Kind, Double> probabilities() {
        return probabilities;
    }

    /** Faults injected so far in this JVM, by setting name ({@code s3.put -> 12}). */
    public static Map<String, Long> injected() {
        Map<String, Long> snapshot = new TreeMap<>();
        INJECTED.forEach((kind, count) -> snapshot.put(kind.setting(), count.get()));
        return snapshot;
    }

    public static long injected(Kind kind) {
        return INJECTED.get(kind).get();
    }

    /** Zeroes the JVM's counts, so a test counts only its own run. */
    public static void resetCounts() {
        INJECTED.values().forEach(count -> count.set(0));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Kind kind = kindOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        if (kind == null) {
            return;
        }
        Double probability = probabilities.get(kind);
        if (probability == null || probability <= 0 || random.nextDouble() >= probability) {
            return;
        }
        INJECTED.get(kind).incrementAndGet();
        throw fault(kind, attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    private static Kind kindOf(String service, String operation) {
        if (service == null || operation == null) {
            return null;
        }
        switch (service) {
            case "DynamoDb":
                return Kind.DYNAMODB_THROTTLE;
            case "S3":
                return operation.equals("PutObject") || operation.equals("UploadPart")
                        || operation.equals("CompleteMultipartUpload") ? Kind.S3_PUT : null;
            case "Sqs":
                return operation.equals("SendMessage") || operation.equals("SendMessageBatch") ? Kind.SQS_SEND : null;
            default:
                return null;
        }
    }

    private static RuntimeException fault(Kind kind, String operation) {
        String message = "Injected fault (" + kind.setting() + ") on " + operation;
        switch (kind) {
            case DYNAMODB_THROTTLE:
                return ProvisionedThroughputExceededException.builder()
                        .statusCode(400).message(message)
                        .awsErrorDetails(details("DynamoDb", "ProvisionedThroughputExceededException", message, 400))
                        .build();
            case S3_PUT:
                return S3Exception.builder()
                        .statusCode(500).message(message)
                        .awsErrorDetails(details("S3", "InternalError", message, 500))
                        .build();
            default:
                return SqsException.builder()
                        .statusCode(500).message(message)
                        .awsErrorDetails(details("Sqs", "InternalError", message, 500))
                        .build();
        }
    }

    private static AwsErrorDetails details(String service, String code, String message, int status) {
        return AwsErrorDetails.builder()
                .serviceName(service)
                .errorCode(code)
                .errorMessage(message)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build())
                .build();
    }

    private static Map<Kind, Double> parse(String value) {
        if (value == null || value.isBlank()) {
            throw invalid("is empty");
        }
        Map<Kind, Double> probabilities = new EnumMap<>(Kind.class);
        for (String entry : value.split(",", -1)) {
            String trimmed = entry.trim();
            int equals = trimmed.indexOf('=');
            if (equals <= 0 || equals != trimmed.lastIndexOf('=')) {
                throw invalid("has an entry that is not name=probability: '" + trimmed + "'");
            }
            String name = trimmed.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            Kind kind = null;
            for (Kind k : Kind.values()) {
                if (k.setting().equals(name)) {
                    kind = k;
                }
            }
            if (kind == null) {
                throw invalid("names an unknown fault '" + name + "'; known: dynamodb.throttle, s3.put, sqs.send");
            }
            String number = trimmed.substring(equals + 1).trim();
            if (!number.matches("[0-9]*\\.?[0-9]+")) {
                throw invalid("gives " + name + " a probability that is not a decimal number: '" + number + "'");
            }
            double probability = Double.parseDouble(number);
            if (probability > 1) {
                throw invalid("gives " + name + " a probability above 1: '" + number + "'");
            }
            if (probabilities.put(kind, probability) != null) {
                throw invalid("names " + name + " twice");
            }
        }
        return probabilities;
    }

    private static long parseSeed(String seed) {
        try {
            return Long.parseLong(seed.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Environment variable " + SEED_VARIABLE + " must be an integer, got '"
                    + seed + "'");
        }
    }

    private static IllegalStateException invalid(String problem) {
        return new IllegalStateException("Environment variable " + VARIABLE + " " + problem);
    }
}
