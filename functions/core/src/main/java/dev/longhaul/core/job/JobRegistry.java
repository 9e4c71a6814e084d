package dev.longhaul.core.job;

import dev.longhaul.core.job.builtin.FailJob;
import dev.longhaul.core.job.builtin.SleepJob;
import dev.longhaul.core.job.builtin.StockReportJob;
import java.util.Collection;
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

    /** The built-in types: {@code demo.sleep}, {@code demo.fail} and {@code report.stock}. */
    public static JobRegistry builtIn() {
        return new JobRegistry()
                .register(new SleepJob())
                .register(new FailJob())
                .register(new StockReportJob());
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
}
