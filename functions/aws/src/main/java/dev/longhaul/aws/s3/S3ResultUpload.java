package dev.longhaul.aws.s3;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.port.ResultUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * One result being written. Bytes collect in a single part-sized buffer. A result that fits in
 * it is stored with one PutObject on commit; a larger one becomes a multipart upload, started
 * when the buffer overflows, with the buffer reused for every part, so memory stays at one part
 * whatever the result size.
 */
final class S3ResultUpload implements ResultUpload {
    private enum State { OPEN, COMMITTED, ABORTED, SUSPENDED }

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String contentType;
    private final byte[] buffer;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final OutputStream stream = new PartStream();
    private int buffered;
    private long size;
    private String uploadId;
    private State state = State.OPEN;
    /** Where a suspended upload's state is kept for the invocation that resumes it. */
    private final String checkpointKey;
    /** Bytes of regenerated output still to drop: a resumed upload already stored them. */
    private long skip;
    private final boolean resumed;

    S3ResultUpload(S3Client s3, String bucket, String key, String contentType, int partSize, String checkpointKey) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.contentType = contentType;
        this.buffer = new byte[partSize];
        this.checkpointKey = checkpointKey;
        this.resumed = false;
    }

    /** Continues a suspended multipart upload whose first {@code stored} bytes are in {@code done}. */
    S3ResultUpload(S3Client s3, String bucket, String key, String contentType, int partSize, String checkpointKey,
                   String uploadId, List<CompletedPart> done, long stored) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.contentType = contentType;
        this.buffer = new byte[partSize];
        this.checkpointKey = checkpointKey;
        this.uploadId = uploadId;
        this.parts.addAll(done);
        this.skip = stored;
        this.size = stored;
        this.resumed = true;
    }

    @Override
    public long suspend() {
        requireOpen();
        state = State.SUSPENDED;
        if (uploadId == null) {
            // nothing stored yet: the next invocation simply starts again
            return 0;
        }
        long stored = size - buffered;
        List<Object> done = new ArrayList<>(parts.size());
        for (CompletedPart part : parts) {
            done.add(Map.of("n", part.partNumber(), "etag", part.eTag()));
        }
        String checkpoint = Json.write(Map.of("uploadId", uploadId, "bytes", stored, "parts", done));
        s3.putObject(put -> put.bucket(bucket).key(checkpointKey).contentType("application/json")
                        .serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString(checkpoint));
        return stored;
    }

    /** Bytes in uploaded parts (a resumed upload's included): what a suspend keeps. */
    @Override
    public long storedBytes() {
        return size - buffered;
    }

    private void forgetCheckpoint() {
        if (resumed) {
            s3.deleteObject(delete -> delete.bucket(bucket).key(checkpointKey));
        }
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public long commit() {
        requireOpen();
        if (uploadId == null) {
            s3.putObject(put -> put
                            .bucket(bucket)
                            .key(key)
                            .contentType(contentType)
                            .serverSideEncryption(ServerSideEncryption.AES256),
                    bufferedBody());
        } else {
            uploadPart();
            s3.completeMultipartUpload(complete -> complete
                    .bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        }
        state = State.COMMITTED;
        forgetCheckpoint();
        return size;
    }

    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        if (uploadId != null) {
            s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
        }
        forgetCheckpoint();
    }

    private void write(byte[] bytes, int offset, int length) {
        if (skip > 0) {
            int dropped = (int) Math.min(skip, length);
            skip -= dropped;
            offset += dropped;
            length -= dropped;
        }
        while (length > 0) {
            // A full buffer is only sent once more bytes arrive, so the last part is never empty
            // and a result of exactly one part still costs a single PutObject.
            if (buffered == buffer.length) {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(create -> create
                            .bucket(bucket)
                            .key(key)
                            .contentType(contentType)
                            .serverSideEncryption(ServerSideEncryption.AES256)).uploadId();
                }
                uploadPart();
            }
            int n = Math.min(length, buffer.length - buffered);
            System.arraycopy(bytes, offset, buffer, buffered, n);
            buffered += n;
            size += n;
            offset += n;
            length -= n;
        }
    }

    private void uploadPart() {
        int partNumber = parts.size() + 1;
        String eTag = s3.uploadPart(part -> part
                        .bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber),
                bufferedBody()).eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
        buffered = 0;
    }

    /** A body over the buffer without copying it; each (re)try reads it afresh. */
    private RequestBody bufferedBody() {
        int length = buffered;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                contentType == null ? "application/octet-stream" : contentType);
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("result upload already " + state.name().toLowerCase(Locale.ROOT));
        }
    }

    private final class PartStream extends OutputStream {
        private final byte[] one = new byte[1];

        @Override
        public void write(int b) throws IOException {
            one[0] = (byte) b;
            write(one, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (state != State.OPEN) {
                throw new IOException("result upload already " + state.name().toLowerCase(Locale.ROOT));
            }
            S3ResultUpload.this.write(bytes, offset, length);
        }
    }
}
