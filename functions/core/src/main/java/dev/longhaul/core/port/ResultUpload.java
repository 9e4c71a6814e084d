package dev.longhaul.core.port;

import java.io.OutputStream;

/**
 * A result being written. Implementations stream: memory does not grow with the result size.
 * Exactly one of {@link #commit()} and {@link #abort()} ends it.
 */
public interface ResultUpload extends AutoCloseable {

    /** The stream to write the result to. Closing it does not commit. */
    OutputStream stream();

    /** Makes the result visible; returns its size in bytes. */
    long commit();

    /**
     * Keeps what is durably stored so far for {@link ResultStore#resume} in a later invocation
     * and ends this upload without committing. Returns how many bytes were kept.
     */
    default long suspend() {
        throw new UnsupportedOperationException("this result store cannot suspend an upload");
    }

    /**
     * Bytes of the output durably stored so far: what {@link #suspend()} would keep now. A
     * resumed upload starts at what the earlier invocation kept. Zero for a store that keeps
     * nothing before commit.
     */
    default long storedBytes() {
        return 0;
    }

    /** Discards what was written. Safe to call after commit or twice. */
    void abort();

    /** Aborts unless committed. */
    @Override
    default void close() {
        abort();
    }
}
