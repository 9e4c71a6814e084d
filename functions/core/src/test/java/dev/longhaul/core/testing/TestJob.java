package dev.longhaul.core.testing;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.Parameter;
import dev.longhaul.core.job.Parameters;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A job whose work is a lambda, for driving {@code RunTask} through a chosen path. */
public final class TestJob implements Job {

    /** The work. */
    @FunctionalInterface
    public interface Body {
        void run(Map<String, Object> parameters, JobContext context) throws Exception;
    }

    private final String type;
    private final Body body;
    private final boolean resumable;
    private final Function<Map<String, Object>, Duration> duration;
    private final Parameters parameters;

    private TestJob(String type, Body body, boolean resumable, Function<Map<String, Object>, Duration> duration,
                    Parameters parameters) {
        this.type = type;
        this.body = body;
        this.resumable = resumable;
        this.duration = duration;
        this.parameters = parameters;
    }

    public static TestJob of(String type, Body body) {
        return new TestJob(type, body, false, null, Parameters.none());
    }

    /** The same job, declared resumable (its output must then be deterministic). */
    public TestJob asResumable() {
        return new TestJob(type, body, true, duration, parameters);
    }

    /** The same job, declaring how long a run takes. */
    public TestJob expecting(Function<Map<String, Object>, Duration> expected) {
        return new TestJob(type, body, resumable, expected, parameters);
    }

    /** The same job, taking these parameters (tests that create its tasks through the use cases). */
    public TestJob taking(Parameter... rules) {
        return new TestJob(type, body, resumable, duration, Parameters.of(rules));
    }

    @Override
    public boolean resumable() {
        return resumable;
    }

    @Override
    public Optional<Duration> expectedDuration(Map<String, Object> parameters) {
        return duration == null ? Optional.empty() : Optional.of(duration.apply(parameters));
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String description() {
        return "A test job.";
    }

    /** None unless {@link #taking} says: most tests store its tasks directly, with whatever parameters the body reads. */
    @Override
    public Parameters parameters() {
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
