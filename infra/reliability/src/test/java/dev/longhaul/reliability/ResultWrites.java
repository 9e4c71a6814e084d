package dev.longhaul.reliability;

import dev.longhaul.aws.client.AwsCall;
import dev.longhaul.aws.client.AwsCallListener;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts result objects written, per key: each PutObject or CompleteMultipartUpload that S3
 * acknowledged under {@code results/}. In a share of them it then kills the worker, so the
 * result is stored but the task never hears of it: the next attempt must adopt it, not write
 * it again.
 */
final class ResultWrites implements AwsCallListener {
    private static final String RESULTS = "results/";

    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
    private final double crashProbability;
    private final Random random;
    private final AtomicLong crashes;

    ResultWrites(double crashProbability, Random random, AtomicLong crashes) {
        this.crashProbability = crashProbability;
        this.random = random;
        this.crashes = crashes;
    }

    @Override
    public void beforeSend(AwsCall call) {
    }

    @Override
    public void afterSuccess(AwsCall call) {
        String key = null;
        if (call.service().equals("S3")
                && (call.operation().equals("PutObject") || call.operation().equals("CompleteMultipartUpload"))) {
            String path = call.uri().getPath();
            int at = path.indexOf("/" + RESULTS);
            key = at < 0 ? null : path.substring(at + 1);
        }
        if (key == null || !key.startsWith(RESULTS)) {
            return;
        }
        writes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (random.nextDouble() < crashProbability) {
            crashes.incrementAndGet();
            throw new WorkerCrash("after storing " + key);
        }
    }

    /** Acknowledged writes per key, sorted. */
    Map<String, Integer> writes() {
        Map<String, Integer> snapshot = new TreeMap<>();
        writes.forEach((key, count) -> snapshot.put(key, count.get()));
        return snapshot;
    }
}
