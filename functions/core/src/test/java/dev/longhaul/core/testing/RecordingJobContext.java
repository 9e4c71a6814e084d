package dev.longhaul.core.testing;

import dev.longhaul.core.job.JobContext;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link JobContext} for running a job alone: records progress, writes where it is told. */
public final class RecordingJobContext implements JobContext {
    private final OutputStream output;
    private final List<Integer> progress = new ArrayList<>();

    public RecordingJobContext(OutputStream output) {
        this.output = output;
    }

    @Override
    public void progress(int percent) {
        progress.add(percent);
    }

    @Override
    public boolean cancelRequested() {
        return false;
    }

    @Override
    public void sleep(Duration duration) {
        // jobs run alone do not need to wait
    }

    @Override
    public OutputStream output() {
        return output;
    }

    public List<Integer> progress() {
        return progress;
    }
}
