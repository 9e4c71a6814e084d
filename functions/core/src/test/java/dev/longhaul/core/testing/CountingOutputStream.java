package dev.longhaul.core.testing;

import java.io.OutputStream;

/** Counts bytes and keeps none, to show a writer streams instead of buffering. */
public final class CountingOutputStream extends OutputStream {
    private long count;

    @Override
    public void write(int b) {
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        count += len;
    }

    public long count() {
        return count;
    }
}
