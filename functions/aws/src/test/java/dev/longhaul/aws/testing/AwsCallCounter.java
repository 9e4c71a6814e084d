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
 * Counts requests sent on the wire, per operation ({@code PutObject}, {@code UploadPart}, ...).
 * {@code beforeTransmission} runs once per network attempt, retries included, and never for
 * presigning, which sends nothing. Register it with {@code AwsClients.fromEnvironment(env, List.of(counter))}.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
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
    }
}
