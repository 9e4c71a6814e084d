package dev.longhaul.core.testing;

import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.port.ResultUpload;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ResultStore} in memory: uploads buffer until committed, then become visible. Counts
 * commits per task so tests can show a result is never written twice.
 */
public final class InMemoryResultStore implements ResultStore {

    /** A visible result object. */
    public record StoredResult(String contentType, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** What a presign request asked for. */
    public record Presign(String taskId, String contentType, String fileName, Duration ttl) {
    }

    private final Map<String, StoredResult> visible = new HashMap<>();
    private final Map<String, Integer> commits = new HashMap<>();
    private int opens;
    private int aborts;
    private int openUploads;
    private boolean failOnCommit;
    private Presign lastPresign;

    @Override
    public synchronized ResultUpload open(String taskId, String contentType) {
        opens++;
        openUploads++;
        return new Upload(taskId, contentType);
    }

    @Override
    public synchronized URI presignedDownload(String taskId, String contentType, String fileName, Duration ttl) {
        lastPresign = new Presign(taskId, contentType, fileName, ttl);
        return URI.create("mem://results/" + taskId + "?ttl=" + ttl.getSeconds());
    }

    @Override
    public synchronized void delete(String taskId) {
        visible.remove(taskId);
    }

    @Override
    public synchronized java.util.OptionalLong storedSize(String taskId) {
        StoredResult stored = visible.get(taskId);
        return stored == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(stored.bytes().length);
    }

    public synchronized void failOnCommit(boolean fail) {
        this.failOnCommit = fail;
    }

    public synchronized Optional<StoredResult> result(String taskId) {
        return Optional.ofNullable(visible.get(taskId));
    }

    public synchronized int commits(String taskId) {
        return commits.getOrDefault(taskId, 0);
    }

    public synchronized int visibleCount() {
        return visible.size();
    }

    public synchronized int opens() {
        return opens;
    }

    public synchronized int aborts() {
        return aborts;
    }

    /** Uploads neither committed nor aborted yet. */
    public synchronized int openUploads() {
        return openUploads;
    }

    public synchronized Presign lastPresign() {
        return lastPresign;
    }

    private final class Upload implements ResultUpload {
        private final String taskId;
        private final String contentType;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean ended;

        Upload(String taskId, String contentType) {
            this.taskId = taskId;
            this.contentType = contentType;
        }

        @Override
        public OutputStream stream() {
            return buffer;
        }

        @Override
        public long commit() {
            synchronized (InMemoryResultStore.this) {
                if (ended) {
                    throw new IllegalStateException("upload already ended");
                }
                if (failOnCommit) {
                    throw new IllegalStateException("injected result store failure");
                }
                ended = true;
                openUploads--;
                byte[] bytes = buffer.toByteArray();
                visible.put(taskId, new StoredResult(contentType, bytes));
                commits.merge(taskId, 1, Integer::sum);
                return bytes.length;
            }
        }

        @Override
        public void abort() {
            synchronized (InMemoryResultStore.this) {
                if (!ended) {
                    ended = true;
                    openUploads--;
                    aborts++;
                }
            }
        }
    }
}
