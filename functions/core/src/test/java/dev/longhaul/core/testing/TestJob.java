package dev.longhaul.core.testing;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import java.util.Map;

/** A job whose work is a lambda, for driving {@code RunTask} through a chosen path. */
public final class TestJob implements Job {

    /** The work. */
    @FunctionalInterface
    public interface Body {
        void run(Map<String, Object> parameters, JobContext context) throws Exception;
    }

    private final String type;
    private final Body body;

    private TestJob(String type, Body body) {
        this.type = type;
        this.body = body;
    }

    public static TestJob of(String type, Body body) {
        return new TestJob(type, body);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Map<String, Object> validate(Map<String, Object> parameters) {
        return parameters;
    }

    @Override
    public String contentType(Map<String, Object> parameters) {
        return "text/plain";
    }

    @Override
    public void run(Map<String, Object> parameters, JobContext context) throws Exception {
        body.run(parameters, context);
    }
}
