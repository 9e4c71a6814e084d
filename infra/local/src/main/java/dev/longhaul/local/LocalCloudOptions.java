package dev.longhaul.local;

import dev.longhaul.emulators.Emulators;
import dev.longhaul.emulators.Provisioner;
import dev.longhaul.local.iam.IamRecorder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** How to start a {@link LocalCloud}; the command line builds one, tests build theirs. */
public final class LocalCloudOptions {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 3000;
    public static final int DEFAULT_MAX_CONCURRENCY = 4;
    /**
     * How often a {@code rate(1 minute)} schedule (the sweeper's: scheduled starts and recurring
     * schedules' ticks) fires locally unless {@code --schedule-interval} says otherwise: so a start
     * is at most a few seconds late locally, where on AWS it may be up to a minute late.
     */
    public static final Duration MINUTE_RATE_INTERVAL = Duration.ofSeconds(5);

    private final Path template;
    private final String host;
    private final int port;
    private final String jwtSecret;
    private final Path envVars;
    private final Map<String, String> parameterOverrides;
    private final String stackName;
    private final int maxConcurrency;
    private final Duration scheduleInterval;
    private final boolean verbose;
    private final Map<String, String> environment;
    private final Emulators emulators;
    private final PrintStream out;
    private final Instant origin;
    private final boolean iam;
    private final IamRecorder iamRecorder;
    private final Set<String> withoutEvents;

    private LocalCloudOptions(Builder builder) {
        this.template = builder.template;
        this.host = builder.host;
        this.port = builder.port;
        this.jwtSecret = builder.jwtSecret;
        this.envVars = builder.envVars;
        this.parameterOverrides = Map.copyOf(builder.parameterOverrides);
        this.stackName = builder.stackName;
        this.maxConcurrency = builder.maxConcurrency;
        this.scheduleInterval = builder.scheduleInterval;
        this.verbose = builder.verbose;
        this.environment = Map.copyOf(builder.environment);
        this.emulators = builder.emulators;
        this.out = builder.out;
        this.origin = builder.origin;
        this.iam = builder.iam;
        this.iamRecorder = builder.iamRecorder;
        this.withoutEvents = Set.copyOf(builder.withoutEvents);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path template() {
        return template;
    }

    public String host() {
        return host;
    }

    /** 0 picks a free port. */
    public int port() {
        return port;
    }

    /** The explicit secret, or null for {@code LONGHAUL_JWT_SECRET} or the development default. */
    public String jwtSecret() {
        return jwtSecret;
    }

    public Path envVars() {
        return envVars;
    }

    public Map<String, String> parameterOverrides() {
        return parameterOverrides;
    }

    public String stackName() {
        return stackName;
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** When set, every schedule fires at this fixed interval instead of its expression. */
    public Duration scheduleInterval() {
        return scheduleInterval;
    }

    /**
     * The fixed interval at which a schedule of this expression fires locally, or null to follow
     * the expression: {@link #scheduleInterval()} when set, else {@link #MINUTE_RATE_INTERVAL} for
     * {@code rate(1 minute)}.
     */
    Duration intervalFor(ScheduleExpression expression) {
        if (scheduleInterval != null) {
            return scheduleInterval;
        }
        return expression.isRate(Duration.ofMinutes(1)) ? MINUTE_RATE_INTERVAL : null;
    }

    /** Whether the startup lists every template feature not applied locally, or only counts them. */
    public boolean verbose() {
        return verbose;
    }

    /** The process environment: endpoints, credentials, region and {@code LONGHAUL_JWT_SECRET} are read here. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Emulators already running that the cloud uses without stopping them; null to start its own. */
    public Emulators emulators() {
        return emulators;
    }

    public PrintStream out() {
        return out;
    }

    /** Where the startup time is counted from: the JVM start for the command, the call for tests. */
    public Instant origin() {
        return origin;
    }

    /**
     * Whether every AWS call of a function is checked against its execution role (the default);
     * false with {@code --no-iam}.
     */
    public boolean iam() {
        return iam;
    }

    /** Where the IAM check records every decision as well (the conformance test's), or null. */
    public IamRecorder iamRecorder() {
        return iamRecorder;
    }

    /** Functions whose events are not wired: tests invoke them themselves. */
    public Set<String> withoutEvents() {
        return withoutEvents;
    }

    public static final class Builder {
        private Path template = Path.of("template.yaml");
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String jwtSecret;
        private Path envVars;
        private final Map<String, String> parameterOverrides = new LinkedHashMap<>();
        private String stackName = Provisioner.DEFAULT_STACK_NAME;
        private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
        private Duration scheduleInterval;
        private boolean verbose;
        private Map<String, String> environment = System.getenv();
        private Emulators emulators;
        private PrintStream out = System.out;
        private Instant origin;
        private boolean iam = true;
        private IamRecorder iamRecorder;
        private final Set<String> withoutEvents = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder template(Path template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range");
            }
            this.port = port;
            return this;
        }

        /** null for {@code LONGHAUL_JWT_SECRET} or the development default; never empty. */
        public Builder jwtSecret(String jwtSecret) {
            if (jwtSecret != null && jwtSecret.isEmpty()) {
                throw new IllegalArgumentException("the JWT secret must not be empty");
            }
            this.jwtSecret = jwtSecret;
            return this;
        }

        public Builder envVars(Path envVars) {
            this.envVars = envVars;
            return this;
        }

        public Builder parameterOverride(String name, String value) {
            parameterOverrides.put(name, value);
            return this;
        }

        public Builder stackName(String stackName) {
            this.stackName = Objects.requireNonNull(stackName, "stackName");
            return this;
        }

        public Builder maxConcurrency(int maxConcurrency) {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("max concurrency must be at least 1");
            }
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        /** null for each schedule's own expression; else at least one second. */
        public Builder scheduleInterval(Duration scheduleInterval) {
            if (scheduleInterval != null && scheduleInterval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("the schedule interval must be at least 1 second");
            }
            this.scheduleInterval = scheduleInterval;
            return this;
        }

        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        public Builder emulators(Emulators emulators) {
            this.emulators = emulators;
            return this;
        }

        public Builder out(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        public Builder origin(Instant origin) {
            this.origin = origin;
            return this;
        }

        /** False turns the IAM check off ({@code --no-iam}): every call the backend accepts is allowed. */
        public Builder iam(boolean iam) {
            this.iam = iam;
            return this;
        }

        public Builder iamRecorder(IamRecorder iamRecorder) {
            this.iamRecorder = iamRecorder;
            return this;
        }

        /**
         * Leaves the function's events (queue, stream, schedule, routes) unwired, so that a test
         * decides when it runs and with what event.
         */
        public Builder withoutEvents(String functionLogicalId) {
            withoutEvents.add(Objects.requireNonNull(functionLogicalId, "functionLogicalId"));
            return this;
        }

        public LocalCloudOptions build() {
            return new LocalCloudOptions(this);
        }
    }
}
