package dev.longhaul.reliability;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.Parameters;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A job that, in a share of its runs, kills its worker mid-job: at a random progress report the
 * run throws {@link WorkerCrash}, after the claim and some heartbeats, before the result is stored.
 */
final class CrashingJob implements Job {
    /** Progress reports a run may get through before it crashes. */
    private static final int MAX_REPORTS_BEFORE_CRASH = 100;

    private final Job job;
    private final double probability;
    private final Random random;
    private final AtomicLong crashes;

    CrashingJob(Job job, double probability, Random random, AtomicLong crashes) {
        this.job = job;
        this.probability = probability;
        this.random = random;
        this.crashes = crashes;
    }

    @Override
    public String type() {
        return job.type();
    }

    @Override
    public String description() {
        return job.description();
    }

    @Override
    public Parameters parameters() {
        return job.parameters();
    }

    @Override
    public String contentType(Map<String, Object> parameters) {
        return job.contentType(parameters);
    }

    @Override
    public boolean resumable() {
        return job.resumable();
    }

    @Override
    public String fileExtension(Map<String, Object> parameters) {
        return job.fileExtension(parameters);
    }

    @Override
    public void run(Map<String, Object> parameters, JobContext context) throws Exception {
        if (random.nextDouble() >= probability) {
            job.run(parameters, context);
            return;
        }
        int crashAt = 1 + random.nextInt(MAX_REPORTS_BEFORE_CRASH);
        job.run(parameters, new JobContext() {
            private int reports;

            @Override
            public void progress(int percent) {
                if (++reports >= crashAt || percent >= 100) {
                    crashes.incrementAndGet();
                    throw new WorkerCrash("mid-job in " + job.type());
                }
                context.progress(percent);
            }

            @Override
            public boolean cancelRequested() {
                return context.cancelRequested();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                context.sleep(duration);
            }

            @Override
            public OutputStream output() {
                return context.output();
            }
        });
    }
}
