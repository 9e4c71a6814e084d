package dev.longhaul.core.job;

import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.builtin.BatchJob;
import dev.longhaul.core.job.builtin.FailJob;
import dev.longhaul.core.job.builtin.SleepJob;
import dev.longhaul.core.job.builtin.StockReportJob;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The job types a deployment accepts, by name. */
public final class JobRegistry {
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    private JobRegistry() {
    }

    public static JobRegistry empty() {
        return new JobRegistry();
    }

    /** The variable that lets a deployment accept the demo job types ({@code "true"}). */
    public static final String ENABLE_DEMO_JOBS = "ENABLE_DEMO_JOBS";

    /** The built-in types: {@code demo.sleep}, {@code demo.fail}, {@code report.stock} and {@code batch}. */
    public static JobRegistry builtIn() {
        return builtIn(true);
    }

    /** The built-in types, the {@code demo.*} ones only when {@code demoJobs}. */
    public static JobRegistry builtIn(boolean demoJobs) {
        JobRegistry registry = new JobRegistry();
        if (demoJobs) {
            registry.register(new SleepJob()).register(new FailJob());
        }
        return registry.register(new StockReportJob()).register(new BatchJob(registry));
    }

    /** True when {@value #ENABLE_DEMO_JOBS} is {@code "true"}: demo job types are off unless asked for. */
    public static boolean demoJobsEnabled(Environment env) {
        String value = env.optional(ENABLE_DEMO_JOBS, "false").trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalStateException(ENABLE_DEMO_JOBS + " must be true or false, not " + value);
        }
        return value.equals("true");
    }

    public JobRegistry register(Job job) {
        if (jobs.putIfAbsent(job.type(), job) != null) {
            throw new IllegalArgumentException("job type registered twice: " + job.type());
        }
        return this;
    }

    public Optional<Job> find(String type) {
        return Optional.ofNullable(type == null ? null : jobs.get(type));
    }

    public Collection<String> types() {
        return jobs.keySet();
    }

    /** The registered jobs, in registration order. */
    public Collection<Job> jobs() {
        return Collections.unmodifiableCollection(jobs.values());
    }
}
