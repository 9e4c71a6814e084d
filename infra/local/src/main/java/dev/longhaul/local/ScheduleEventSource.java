package dev.longhaul.local;

import dev.longhaul.core.json.Json;
import dev.longhaul.emulators.Stack;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@code Schedule} (EventBridge rule) or {@code ScheduleV2} (EventBridge Scheduler) event: invokes
 * the function at each time of its expression with the scheduled-event JSON, or with {@code Input}
 * when given. A fixed interval, when given, replaces the expression: {@code --schedule-interval
 * SECONDS} for every schedule (tests, demos), and by default 5 s for {@code rate(1 minute)} (the
 * sweeper's), so scheduled starts are at most a few seconds late locally
 * ({@link LocalCloudOptions#intervalFor}).
 */
final class ScheduleEventSource implements EventSource {

    private final LocalFunction function;
    private final String eventName;
    private final ScheduleExpression expression;
    private final Duration interval;
    /** Why the interval replaces the expression, for the startup report. */
    private final String intervalReason;
    private final String input;
    private final String resourceArn;
    private final String region;
    private final PrintStream log;
    private final ScheduledExecutorService timer;
    private volatile Instant started;

    ScheduleEventSource(LocalFunction function, FunctionSpec.EventSpec event, ScheduleExpression expression,
                        Duration interval, String intervalReason, String region, String stackName, PrintStream log) {
        this.function = function;
        this.eventName = event.name();
        this.expression = expression;
        this.interval = interval;
        this.intervalReason = intervalReason;
        Object input = event.properties().get("Input");
        this.input = input == null ? null : input instanceof String text ? text : Json.write(input);
        Object name = event.properties().get("Name");
        String scheduleName = name == null ? stackName + "-" + function.spec().logicalId() + eventName : String.valueOf(name);
        this.resourceArn = event.type().equals("ScheduleV2")
                ? "arn:aws:scheduler:" + region + ":" + Stack.ACCOUNT_ID + ":schedule/default/" + scheduleName
                : "arn:aws:events:" + region + ":" + Stack.ACCOUNT_ID + ":rule/" + scheduleName;
        this.region = region;
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "schedule-" + function.spec().logicalId() + "-" + eventName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Whether the event's {@code Enabled} / {@code State} leaves it on. */
    static boolean enabled(FunctionSpec.EventSpec event) {
        Object enabled = event.properties().get("Enabled");
        Object state = event.properties().get("State");
        return !"false".equalsIgnoreCase(String.valueOf(enabled)) && !"DISABLED".equalsIgnoreCase(String.valueOf(state));
    }

    @Override
    public String describe() {
        return "schedule " + expression + (interval == null ? "" : " (every " + interval.toSeconds() + " s " + intervalReason + ")")
                + " -> " + function.spec().logicalId() + "." + eventName;
    }

    @Override
    public void start() {
        started = Instant.now();
        scheduleAfter(started);
    }

    private void scheduleAfter(Instant after) {
        Optional<Instant> next = interval != null ? Optional.of(after.plus(interval)) : expression.next(after, started);
        if (next.isEmpty()) {
            log.println(function.spec().logicalId() + "." + eventName + ": " + expression + " will not fire again");
            return;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), next.get()).toMillis());
        try {
            timer.schedule(() -> fire(next.get()), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopped meanwhile.
        }
    }

    private void fire(Instant time) {
        try {
            // a target's Input replaces the event; otherwise the scheduled event, as the runtime's serializer writes it
            byte[] payload = input != null ? input.getBytes(StandardCharsets.UTF_8) : LambdaPayloads.schedule(event(time));
            Invocation invocation = function.invoke(payload);
            if (invocation.failed()) {
                log.printf("%s.%s: scheduled invocation failed (%s: %s)%n", function.spec().logicalId(), eventName,
                        invocation.errorType(), invocation.errorMessage());
            }
        } finally {
            scheduleAfter(time);
        }
    }

    private Map<String, Object> event(Instant time) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", Stack.ACCOUNT_ID);
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.put("resources", List.of(resourceArn));
        event.put("detail", Map.of());
        return event;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
