package dev.longhaul.core.job.builtin;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.Parameter;
import dev.longhaul.core.job.Parameters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code demo.sleep}: sleeps {@code seconds} in {@code steps}, reporting progress at each. */
public final class SleepJob implements Job {
    private static final Parameters PARAMETERS = Parameters.of(
            Parameter.integer("seconds", 0, 900).describedAs("How long to sleep, in seconds."),
            Parameter.integer("steps", 1, 100).withDefault(10L)
                    .describedAs("How many equal steps to sleep in, with a progress report after each."));

    @Override
    public String type() {
        return "demo.sleep";
    }

    @Override
    public String description() {
        return "A demo type: sleeps, reporting progress as it goes; the result is {\"sleptSeconds\": n}.";
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
    public Optional<Duration> expectedDuration(Map<String, Object> parameters) {
        return Optional.of(Duration.ofSeconds(Parameters.longOf(parameters, "seconds")));
    }

    @Override
    public void run(Map<String, Object> parameters, JobContext context) throws Exception {
        long seconds = Parameters.longOf(parameters, "seconds");
        long steps = Parameters.longOf(parameters, "steps");
        Duration step = Duration.ofMillis(seconds * 1000 / steps);
        for (long i = 1; i <= steps; i++) {
            context.sleep(step);
            context.progress((int) (i * 100 / steps));
        }
        context.output().write(("{\"sleptSeconds\":" + seconds + "}").getBytes(StandardCharsets.UTF_8));
    }
}
