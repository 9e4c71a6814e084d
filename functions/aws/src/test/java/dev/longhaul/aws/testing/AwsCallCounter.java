package dev.longhaul.aws.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts AWS calls per operation ({@code PutObject}, {@code UploadPart}, ...): one per API call
 * that went on the wire, whether it succeeded or failed, however many network attempts the SDK's
 * retries made (so a retry on a loaded machine does not change a test's count). Presigning sends
 * nothing and is not counted. Register it with {@code AwsClients.fromEnvironment(env, List.of(counter))}.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private static final software.amazon.awssdk.core.interceptor.ExecutionAttribute<Boolean> SENT =
            new software.amazon.awssdk.core.interceptor.ExecutionAttribute<>("LonghaulCallCounterSent");

    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(SENT, Boolean.TRUE);
        attempts.computeIfAbsent(name(attributes), key -> new AtomicInteger()).incrementAndGet();
    }

    private static String name(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    /** Network attempts so far, SDK retries included, as {@code Service.Operation -> count}. */
    public Map<String, Integer> attempts() {
        Map<String, Integer> snapshot = new TreeMap<>();
        attempts.forEach((name, count) -> snapshot.put(name, count.get()));
        return snapshot;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        count(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(SENT))) {
            count(attributes);
        }
    }

    private void count(ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(service + "." + operation, key -> new AtomicInteger()).incrementAndGet();
    }

    /** Calls so far as {@code Service.Operation -> count}, sorted by name. */
    public Map<String, Integer> calls() {
        Map<String, Integer> snapshot = new TreeMap<>();
        calls.forEach((name, count) -> snapshot.put(name, count.get()));
        return snapshot;
    }

    public int total() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void reset() {
        calls.clear();
        attempts.clear();
    }
}
