package dev.longhaul.aws.s3;

import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.port.ResultUpload;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Results as one S3 object per task under {@code results/}. Uploads stream through a single
 * part-sized buffer (see {@link S3ResultUpload}); downloads are presigned GETs that force a
 * download with the given file name and forbid caching.
 */
public final class S3ResultStore implements ResultStore {
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    private static final String KEY_PREFIX = "results/";

    private final Supplier<S3> s3;
    private final String bucket;
    private final int partSize;

    public S3ResultStore(S3 s3, String bucket) {
        this(() -> s3, bucket, DEFAULT_PART_SIZE);
    }

    /** With the S3 client built on first use. */
    public S3ResultStore(Supplier<S3> s3, String bucket) {
        this(s3, bucket, DEFAULT_PART_SIZE);
    }

    public S3ResultStore(S3 s3, String bucket, int partSize) {
        this(() -> s3, bucket, partSize);
    }

    /** @param partSize bytes buffered before a multipart upload starts, and the size of each part */
    public S3ResultStore(Supplier<S3> s3, String bucket, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size must be at least " + MIN_PART_SIZE + " bytes (S3 minimum)");
        }
        this.s3 = s3;
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.partSize = partSize;
    }

    private S3 s3() {
        return Objects.requireNonNull(s3.get(), "s3");
    }

    /** The object key of a task's result. */
    public static String key(String taskId) {
        return KEY_PREFIX + Objects.requireNonNull(taskId, "taskId");
    }

    /** Where a suspended upload of the task keeps its state between invocations. */
    public static String checkpointKey(String taskId) {
        return "checkpoints/" + Objects.requireNonNull(taskId, "taskId") + ".json";
    }

    @Override
    @SuppressWarnings("unchecked")
    public ResultUpload resume(String taskId, String contentType) {
        byte[] stored = s3().getObject(bucket, checkpointKey(taskId));
        if (stored == null) {
            return open(taskId, contentType);
        }
        String text = new String(stored, StandardCharsets.UTF_8);
        dev.longhaul.core.json.JsonObject checkpoint =
                dev.longhaul.core.json.JsonObject.of(dev.longhaul.core.json.Json.parseObject(text));
        List<S3.Part> parts = new ArrayList<>();
        for (Object raw : checkpoint.list("parts")) {
            dev.longhaul.core.json.JsonObject part = dev.longhaul.core.json.JsonObject.of((java.util.Map<String, Object>) raw);
            parts.add(new S3.Part(part.longValue("n").intValue(), part.string("etag")));
        }
        return new S3ResultUpload(s3(), bucket, key(taskId), contentType, partSize, checkpointKey(taskId),
                checkpoint.string("uploadId"), parts, checkpoint.longValue("bytes"));
    }

    @Override
    public ResultUpload open(String taskId, String contentType) {
        return new S3ResultUpload(s3(), bucket, key(taskId), contentType, partSize,
                checkpointKey(taskId));
    }

    @Override
    public URI presignedDownload(String taskId, String contentType, String fileName, Duration ttl) {
        String disposition = "attachment; filename=\"" + safeFileName(fileName, taskId) + "\"";
        return s3().presignGet(bucket, key(taskId), Map.of(
                "response-content-type", contentType,
                "response-content-disposition", disposition,
                "response-cache-control", "no-store"), ttl);
    }

    @Override
    public OptionalLong storedSize(String taskId) {
        return s3().headObject(bucket, key(taskId));
    }

    @Override
    public void delete(String taskId) {
        s3().deleteObject(bucket, key(taskId));
    }

    /** Keeps the quoted header value unambiguous: anything outside {@code [A-Za-z0-9._-]} becomes {@code _}. */
    static String safeFileName(String fileName, String fallback) {
        String name = fileName == null || fileName.isBlank() ? fallback : fileName;
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            out.append(allowed ? c : '_');
        }
        return out.toString();
    }
}
