package dev.longhaul.core.job.builtin;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.Parameters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code demo.sleep}: sleeps {@code seconds} in {@code steps}, reporting progress at each. */
public final class SleepJob implements Job {
    @Override
    public String type() {
        return "demo.sleep";
    }

    @Override
    public Map<String, Object> validate(Map<String, Object> parameters) {
        return Parameters.of(parameters)
                .integer("seconds", 0, 900, null)
                .integer("steps", 1, 100, 10L)
                .validated();
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
