package dev.longhaul.core.job.builtin;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.JobFailedException;
import dev.longhaul.core.job.Parameters;
import java.util.Map;

/** {@code demo.fail}: fails with the given message, to show and test the failure path. */
public final class FailJob implements Job {
    @Override
    public String type() {
        return "demo.fail";
    }

    @Override
    public Map<String, Object> validate(Map<String, Object> parameters) {
        return Parameters.of(parameters).string("message", 1000, "demo failure").validated();
    }

    @Override
    public String contentType(Map<String, Object> parameters) {
        return "application/json";
    }

    @Override
    public void run(Map<String, Object> parameters, JobContext context) {
        throw new JobFailedException("demo-failure", (String) parameters.get("message"));
    }
}
