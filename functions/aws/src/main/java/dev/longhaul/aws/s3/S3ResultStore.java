package dev.longhaul.aws.s3;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.port.ResultUpload;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * Results as one S3 object per task under {@code results/}. Uploads stream through a single
 * part-sized buffer (see {@link S3ResultUpload}); downloads are presigned GETs that force a
 * download with the given file name and forbid caching.
 */
public final class S3ResultStore implements ResultStore {
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    private static final String KEY_PREFIX = "results/";

    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final String bucket;
    private final int partSize;

    public S3ResultStore(S3Client s3, S3Presigner presigner, String bucket) {
        this(() -> s3, () -> presigner, bucket, DEFAULT_PART_SIZE);
    }

    /**
     * With the S3 client and the presigner built on first use: the API needs the presigner only to
     * answer for a finished task's result and the client only to delete, so neither is paid for by
     * a cold start that creates or polls (the SnapStart priming builds both before the snapshot).
     */
    public S3ResultStore(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket) {
        this(s3, presigner, bucket, DEFAULT_PART_SIZE);
    }

    public S3ResultStore(S3Client s3, S3Presigner presigner, String bucket, int partSize) {
        this(() -> s3, () -> presigner, bucket, partSize);
    }

    /** @param partSize bytes buffered before a multipart upload starts, and the size of each part */
    public S3ResultStore(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size must be at least " + MIN_PART_SIZE + " bytes (S3 minimum)");
        }
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.partSize = partSize;
    }

    private S3Client s3() {
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
        String text;
        try {
            text = s3().getObjectAsBytes(get -> get.bucket(bucket)
                    .key(checkpointKey(taskId))).asUtf8String();
        } catch (NoSuchKeyException e) {
            return open(taskId, contentType);
        }
        JsonObject checkpoint = JsonObject.of(Json.parseObject(text));
        List<CompletedPart> parts = new ArrayList<>();
        for (Object raw : checkpoint.list("parts")) {
            JsonObject part = JsonObject.of((Map<String, Object>) raw);
            parts.add(CompletedPart.builder().partNumber(part.longValue("n").intValue()).eTag(part.string("etag")).build());
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
        PresignedGetObjectRequest presigned = Objects.requireNonNull(presigner.get(), "presigner")
                .presignGetObject(presign -> presign
                        .signatureDuration(ttl)
                        .getObjectRequest(get -> get
                                .bucket(bucket)
                                .key(key(taskId))
                                .responseContentType(contentType)
                                .responseContentDisposition(disposition)
                                .responseCacheControl("no-store")));
        try {
            return presigned.url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("presigner produced an invalid URL", e);
        }
    }

    @Override
    public OptionalLong storedSize(String taskId) {
        try {
            return OptionalLong.of(s3()
                    .headObject(head -> head.bucket(bucket).key(key(taskId))).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    @Override
    public void delete(String taskId) {
        s3().deleteObject(delete -> delete.bucket(bucket).key(key(taskId)));
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
