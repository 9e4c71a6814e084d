package dev.longhaul.core.job.builtin;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.JobFailedException;
import dev.longhaul.core.job.Parameter;
import dev.longhaul.core.job.Parameters;
import java.util.Map;

/** {@code demo.fail}: fails with the given message, to show and test the failure path. */
public final class FailJob implements Job {
    private static final Parameters PARAMETERS = Parameters.of(
            Parameter.string("message", 1000).withDefault("demo failure")
                    .describedAs("The error message the failed task shows."));

    @Override
    public String type() {
        return "demo.fail";
    }

    @Override
    public String description() {
        return "A demo type: fails at once with the error code demo-failure and the given message, "
                + "to show and test the failure path.";
    }

    @Override
    public Parameters parameters() {
        return PARAMETERS;
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
