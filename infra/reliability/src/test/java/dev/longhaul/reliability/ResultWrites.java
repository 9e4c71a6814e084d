package dev.longhaul.reliability;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Counts result objects written, per key: each PutObject or CompleteMultipartUpload that S3
 * acknowledged under {@code results/}. In a share of them it then kills the worker, so the
 * result is stored but the task never hears of it: the next attempt must adopt it, not write
 * it again.
 */
final class ResultWrites implements ExecutionInterceptor {
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
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String key = null;
        if (context.request() instanceof PutObjectRequest) {
            key = ((PutObjectRequest) context.request()).key();
        } else if (context.request() instanceof CompleteMultipartUploadRequest) {
            key = ((CompleteMultipartUploadRequest) context.request()).key();
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
