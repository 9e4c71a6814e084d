package dev.longhaul.aws.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import dev.longhaul.aws.client.AwsCall;
import dev.longhaul.aws.client.AwsCallListener;

/**
 * Counts AWS calls per operation ({@code PutObject}, {@code UploadPart}, ...): one per API call
 * that went on the wire, whether it succeeded or failed, however many network attempts the
 * clients' retries made (so a retry on a loaded machine does not change a test's count). Presigning sends
 * nothing and is not counted. Register it with {@code AwsClients.fromEnvironment(env, List.of(counter))}.
 */
public final class AwsCallCounter implements AwsCallListener {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @Override
    public void beforeSend(AwsCall call) {
        String name = call.service() + "." + call.operation();
        attempts.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
        if (call.attempt() == 1) {
            calls.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Network attempts so far, retries included, as {@code Service.Operation -> count}. */
    public Map<String, Integer> attempts() {
        Map<String, Integer> snapshot = new TreeMap<>();
        attempts.forEach((name, count) -> snapshot.put(name, count.get()));
        return snapshot;
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
