package dev.longhaul.local;

import com.sun.net.httpserver.HttpServer;
import dev.longhaul.emulators.Intrinsic;
import dev.longhaul.emulators.Provisioner;
import dev.longhaul.emulators.SamTemplate;
import dev.longhaul.emulators.Stack;
import dev.longhaul.local.iam.IamEnforcer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The whole stack of a SAM template on one machine, without Docker: the template's tables, queues and
 * buckets provisioned on the in-process emulators (or on the endpoints of {@code AWS_ENDPOINT_URL}),
 * its functions run in their own class loaders, an HTTP API gateway in front of them, and the SQS,
 * schedule and DynamoDB stream event sources that invoke them. Everything comes from the template.
 *
 * <pre>
 * java -jar infra/local/target/longhaul-local.jar [--template template.yaml] [--host 127.0.0.1] [--port 3000]
 *      [--jwt-secret S] [--env-vars FILE] [--parameter-overrides K=V,...] [--max-concurrency N]
 *      [--schedule-interval SECONDS] [--stack-name NAME] [--no-iam]
 * java -jar infra/local/target/longhaul-local.jar token SUBJECT [--jwt-secret S] [--hours 12] [--issuer I] [--audience A]
 * </pre>
 */
public final class LocalCloud implements AutoCloseable {

    private final LocalCloudOptions options;
    private final Backend backend;
    private final Stack stack;
    private final Map<String, LocalFunction> functions;
    private final Gateway gateway;
    private final List<EventSource> sources;
    private final List<String> notes;
    private final Duration startupTime;
    private final IamEnforcer iam;
    private volatile boolean closed;

    private LocalCloud(LocalCloudOptions options, Backend backend, Stack stack, Map<String, LocalFunction> functions,
                       Gateway gateway, List<EventSource> sources, List<String> notes, Duration startupTime,
                       IamEnforcer iam) {
        this.options = options;
        this.backend = backend;
        this.stack = stack;
        this.functions = functions;
        this.gateway = gateway;
        this.sources = sources;
        this.notes = List.copyOf(notes);
        this.startupTime = startupTime;
        this.iam = iam;
    }

    public static void main(String[] args) {
        int status;
        try {
            status = CommandLine.run(args, System.out, System.err, System.getenv());
        } catch (CommandLine.UsageException e) {
            System.err.println("longhaul-local: " + e.getMessage());
            System.err.println(CommandLine.HINT);
            status = 2;
        } catch (RuntimeException e) {
            System.err.println("The local cloud did not start: " + e.getMessage());
            status = 1;
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The note that the development JWT secret is in force (printed as a warning, not a note). */
    static final String DEVELOPMENT_SECRET_NOTE = "JWT secret: the development default";

    /**
     * Starts everything and returns once the gateway accepts requests. What needs no emulator (the
     * template, the parameters, the {@code --env-vars} file, the port) is checked first, so a mistake
     * fails at once.
     */
    public static LocalCloud start(LocalCloudOptions options) {
        Instant origin = options.origin() == null ? Instant.now() : options.origin();
        PrintStream out = options.out();
        Path templatePath = options.template().toAbsolutePath().normalize();
        if (!Files.isRegularFile(templatePath)) {
            throw new IllegalArgumentException("No template at " + templatePath + " (--template)");
        }
        SamTemplate template = SamTemplate.load(templatePath);
        for (String name : options.parameterOverrides().keySet()) {
            if (!template.parameters().containsKey(name)) {
                throw new IllegalArgumentException("--parameter-overrides: the template has no parameter " + name
                        + " (its parameters: " + String.join(", ", template.parameters().keySet()) + ")");
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Map<String, String> localJwt = Deployment.localJwtParameters(template, options.parameterOverrides());
        Map<String, String> localDefaults = Deployment.localParameterDefaults(template, options.parameterOverrides());
        parameters.putAll(localJwt);
        parameters.putAll(localDefaults);
        parameters.putAll(options.parameterOverrides());
        DeployRules.Findings findings = DeployRules.check(template, deploymentParameters(template, parameters));
        if (!findings.violations().isEmpty()) {
            throw new IllegalStateException("The template would not deploy, so the local cloud does not start it:\n  - "
                    + String.join("\n  - ", findings.violations()));
        }
        EnvVars envVars = options.envVars() == null ? EnvVars.none() : EnvVars.load(options.envVars());
        Map<String, String> environment = options.environment();
        String secret = Jwt.secret(options.jwtSecret(), environment);
        HttpServer server = bind(options.host(), options.port());

        Backend backend;
        try {
            backend = Backend.namesEndpoints(environment) ? Backend.external(environment) : Backend.emulators(options.emulators());
        } catch (RuntimeException e) {
            server.stop(0);
            throw e;
        }
        List<LocalFunction> started = new ArrayList<>();
        List<EventSource> sources = new ArrayList<>();
        Gateway gateway = null;
        try {
            out.println("Longhaul local cloud: " + templatePath + " on " + backend.description());
            localJwt.forEach((name, value) ->
                    out.println("  parameter " + name + " = " + value + " (local default; --parameter-overrides to change)"));
            localDefaults.forEach((name, value) ->
                    out.println("  parameter " + name + " = " + value + " (template's local default; --parameter-overrides to change)"));
            Stack stack = new Provisioner(backend.dynamoDb(), backend.sqs(), backend.s3(), backend.kms())
                    .provision(template, parameters, options.stackName());
            List<String> notes = new ArrayList<>(findings.recommendations());
            notes.addAll(stack.warnings());

            if (secret.equals(Jwt.DEVELOPMENT_SECRET)) {
                notes.add(DEVELOPMENT_SECRET_NOTE + " '" + Jwt.DEVELOPMENT_SECRET
                        + "' (development only: set --jwt-secret or LONGHAUL_JWT_SECRET)");
            }
            Deployment deployment = Deployment.read(stack, templatePath.getParent(), backend.functionEnvironment(), envVars);
            notes.addAll(deployment.notes());

            List<String> missing = new ArrayList<>();
            for (FunctionSpec spec : deployment.functions()) {
                try {
                    LocalFunction.checkCode(spec);
                } catch (IllegalStateException e) {
                    missing.add(e.getMessage());
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException(String.join("\n", missing));
            }
            IamEnforcer iam = null;
            if (options.iam()) {
                iam = IamEnforcer.create(stack, options.iamRecorder(), out);
                notes.addAll(iam.notes());
            } else {
                notes.add("IAM not enforced (--no-iam): every call the backend accepts is allowed, whatever the"
                        + " functions' roles say");
            }
            Map<String, LocalFunction> functions = new LinkedHashMap<>();
            List<Route> routes = new ArrayList<>();
            for (FunctionSpec spec : deployment.functions()) {
                LocalFunction function = new LocalFunction(spec, concurrency(spec, template, stack, options, notes), out,
                        iam == null ? null : iam.guard(spec.logicalId()));
                started.add(function);
                functions.put(spec.logicalId(), function);
                if (options.withoutEvents().contains(spec.logicalId())) {
                    notes.add(spec.logicalId() + ": its events are not wired (the caller invokes it)");
                    continue;
                }
                for (FunctionSpec.EventSpec event : spec.events()) {
                    wire(event, function, deployment, stack, backend, options, routes, sources, notes);
                }
            }
            Jwt jwt = new Jwt(secret);
            DevTokenEndpoint devTokens = devTokens(server, routes, jwt, notes);

            out.println("  resources: " + String.join(", ", stack.provisionedResources()));
            StartupNotes.print(notes, options.verbose(), out);
            gateway = Gateway.start(server, routes, jwt, devTokens, 16, out);
            for (Route route : gateway.routes()) {
                out.println("  route " + route.routeKey() + " -> " + route.function().spec().logicalId()
                        + (route.authorizer() == null ? " (open)" : " (JWT " + route.authorizer().name() + ")"));
            }
            if (devTokens != null) {
                out.println("  route POST " + DevTokenEndpoint.PATH + " -> the local cloud itself (development tokens for"
                        + " the console's \"sign in as\"; local only)");
            }
            for (EventSource source : sources) {
                source.start();
                out.println("  " + source.describe());
            }
            if (iam != null) {
                out.println("  IAM enforced: each function's AWS calls are checked against its role as SAM expands the"
                        + " template (" + iam.roles().size() + " roles; --no-iam to turn off)");
            }
            Duration startupTime = Duration.between(origin, Instant.now());
            LocalCloud cloud = new LocalCloud(options, backend, stack, functions, gateway, sources, notes, startupTime, iam);
            StartupNotes.printWarnings(notes, out);
            out.printf(Locale.ROOT, "Longhaul local cloud ready at %s in %.1f s%n", gateway.baseUrl(), startupTime.toMillis() / 1000.0);
            if (routes.stream().anyMatch(route -> route.path().startsWith("/console"))) {
                out.println("The console: " + gateway.baseUrl() + "/console/");
            }
            return cloud;
        } catch (RuntimeException e) {
            sources.forEach(EventSource::close);
            if (gateway != null) {
                gateway.close();
            } else {
                server.stop(0);
            }
            started.forEach(LocalFunction::close);
            backend.close();
            throw e;
        }
    }

    /** Every parameter's value for this start: the given ones, else the template's defaults. */
    private static Map<String, String> deploymentParameters(SamTemplate template, Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        template.parameters().values().forEach(parameter ->
                parameter.defaultValue().ifPresent(value -> values.put(parameter.name(), value)));
        values.putAll(given);
        return values;
    }

    /** Takes the gateway's address first: a busy port is named, with the way out. */
    private static HttpServer bind(String host, int port) {
        try {
            return Gateway.bind(host, port);
        } catch (BindException e) {
            throw new IllegalStateException("Port " + port + " on " + host + " is already in use: stop what uses it,"
                    + " or pick another port with --port (for example --port " + (port == 65535 ? 3001 : port + 1)
                    + ", or --port 0 for any free one)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not listen on " + host + ":" + port + " (--host, --port): " + e.getMessage(), e);
        }
    }

    /**
     * The console's development sign-in, minting tokens for the issuer and audience the template's JWT
     * authorizer checks; only on a loopback address, where only this machine can ask for one.
     */
    private static DevTokenEndpoint devTokens(HttpServer server, List<Route> routes, Jwt jwt, List<String> notes) {
        Deployment.HttpApiSpec.Authorizer authorizer = routes.stream().map(Route::authorizer)
                .filter(a -> a != null && a.issuer() != null && !a.audiences().isEmpty()).findFirst().orElse(null);
        String issuer = authorizer == null ? Jwt.LOCAL_ISSUER : authorizer.issuer();
        String audience = authorizer == null ? Jwt.LOCAL_AUDIENCE : authorizer.audiences().get(0);
        if (!server.getAddress().getAddress().isLoopbackAddress()) {
            notes.add(DevTokenEndpoint.PATH + " is not served: the gateway listens on " + server.getAddress().getHostString()
                    + ", not a loopback address; mint tokens with the token command");
            return null;
        }
        return new DevTokenEndpoint(jwt, issuer, audience, Clock.systemUTC());
    }

    private static int concurrency(FunctionSpec spec, SamTemplate template, Stack stack, LocalCloudOptions options,
                                   List<String> notes) {
        String reserved = stack.resolveString(template.functionProperties(spec.logicalId()).get("ReservedConcurrentExecutions"));
        if (reserved == null) {
            return options.maxConcurrency();
        }
        int value = Integer.parseInt(reserved.trim());
        if (value < 1) {
            notes.add(spec.logicalId() + ": ReservedConcurrentExecutions " + value + " would throttle every call;"
                    + " one instance runs locally");
            return 1;
        }
        return Math.min(value, options.maxConcurrency());
    }

    private static void wire(FunctionSpec.EventSpec event, LocalFunction function, Deployment deployment, Stack stack,
                             Backend backend, LocalCloudOptions options, List<Route> routes, List<EventSource> sources,
                             List<String> notes) {
        String where = event.where(function.spec());
        Map<String, Object> properties = event.properties();
        switch (event.type()) {
            case "HttpApi" -> {
                Object apiId = event.rawProperties().get("ApiId");
                String apiName = apiId instanceof Intrinsic.Ref ref ? ref.name() : apiId == null ? null : String.valueOf(apiId);
                Deployment.HttpApiSpec api = apiName == null ? null : deployment.api(apiName);
                if (apiName != null && api == null) {
                    notes.add(where + ": ApiId " + apiName + " is not an AWS::Serverless::HttpApi of the template; route not served");
                    return;
                }
                String version = String.valueOf(properties.getOrDefault("PayloadFormatVersion", "2.0"));
                if (!version.equals("2.0")) {
                    notes.add(where + ": PayloadFormatVersion " + version + " is not emulated (2.0 only); route not served");
                    return;
                }
                Map<String, Object> auth = Deployment.asMap(properties.get("Auth"));
                String authorizerName = auth.get("Authorizer") != null ? String.valueOf(auth.get("Authorizer"))
                        : api == null ? null : api.defaultAuthorizer();
                Deployment.HttpApiSpec.Authorizer authorizer = null;
                if (authorizerName != null && !authorizerName.equals("NONE")) {
                    authorizer = api == null ? null : api.authorizers().get(authorizerName);
                    if (authorizer == null) {
                        // Fail closed: a route whose authorizer cannot run here must not be open.
                        authorizer = new Deployment.HttpApiSpec.Authorizer(authorizerName, "(unsupported authorizer)",
                                List.of("(unsupported authorizer)"), "authorization", List.of());
                        notes.add(where + ": authorizer " + authorizerName + " is not emulated; the route answers 401");
                    }
                }
                List<String> scopes = auth.get("AuthorizationScopes") instanceof List<?> list
                        ? list.stream().map(String::valueOf).toList()
                        : authorizer == null ? List.of() : authorizer.scopes();
                long timeoutMillis = Long.parseLong(String.valueOf(properties.getOrDefault("TimeoutInMillis", 30000)));
                String method = String.valueOf(properties.getOrDefault("Method", "ANY"));
                String path = String.valueOf(properties.getOrDefault("Path", "$default"));
                routes.add(new Route(apiName == null ? Deployment.IMPLICIT_API.toLowerCase(Locale.ROOT) : apiName.toLowerCase(Locale.ROOT),
                        method, path, function, authorizer, scopes, Duration.ofMillis(timeoutMillis)));
            }
            case "SQS" -> {
                if (!enabled(event, where, notes)) {
                    return;
                }
                String arn = String.valueOf(properties.get("Queue"));
                Optional<String> queue = resourceWithAttribute(stack, "AWS::SQS::Queue", "Arn", arn);
                if (queue.isEmpty()) {
                    notes.add(where + ": queue " + arn + " is not a queue of the template; not polled");
                    return;
                }
                String id = queue.get();
                sources.add(new SqsEventSource(function, event, stack.attribute(id, "QueueName"), stack.physicalId(id), arn,
                        backend.region().id(), backend.sqs(), Math.min(options.maxConcurrency(), 5), options.out()));
            }
            case "DynamoDB" -> {
                if (!enabled(event, where, notes)) {
                    return;
                }
                String arn = String.valueOf(properties.get("Stream"));
                Optional<String> table = resourceWithAttribute(stack, "AWS::DynamoDB::Table", "StreamArn", arn);
                if (table.isEmpty()) {
                    notes.add(where + ": stream " + arn + " is not the stream of a table of the template; not read");
                    return;
                }
                sources.add(new DynamoDbStreamEventSource(function, event, stack.physicalId(table.get()), arn,
                        backend.region().id(), backend.dynamoDbStreams(), options.out()));
            }
            case "Schedule", "ScheduleV2" -> {
                if (!ScheduleEventSource.enabled(event)) {
                    notes.add(where + " is disabled in the template; not scheduled");
                    return;
                }
                String text = String.valueOf(properties.get(event.type().equals("Schedule") ? "Schedule" : "ScheduleExpression"));
                Object timezone = properties.get("ScheduleExpressionTimezone");
                ScheduleExpression expression;
                try {
                    expression = ScheduleExpression.parse(text, timezone == null ? ZoneId.of("UTC") : ZoneId.of(String.valueOf(timezone)));
                } catch (RuntimeException e) {
                    notes.add(where + ": " + e.getMessage() + "; not scheduled");
                    return;
                }
                Duration interval = options.intervalFor(expression);
                String why = interval == null ? null : options.scheduleInterval() != null ? "by --schedule-interval"
                        : "locally for rate(1 minute), so scheduled starts are at most a few seconds late;"
                        + " --schedule-interval to change";
                sources.add(new ScheduleEventSource(function, event, expression, interval, why,
                        backend.region().id(), options.stackName(), options.out()));
            }
            default -> notes.add(where + " is not emulated");
        }
    }

    private static boolean enabled(FunctionSpec.EventSpec event, String where, List<String> notes) {
        if ("false".equalsIgnoreCase(String.valueOf(event.properties().get("Enabled")))) {
            notes.add(where + " is disabled in the template (Enabled: false); not polled");
            return false;
        }
        return true;
    }

    /** The logical id of the provisioned resource of {@code type} whose {@code attribute} is {@code value}. */
    private static Optional<String> resourceWithAttribute(Stack stack, String type, String attribute, String value) {
        for (String id : stack.provisionedResources()) {
            if (!stack.template().resource(id).type().equals(type)) {
                continue;
            }
            try {
                if (stack.attribute(id, attribute).equals(value)) {
                    return Optional.of(id);
                }
            } catch (NoSuchElementException e) {
                // That resource has no such attribute (a table without a stream).
            }
        }
        return Optional.empty();
    }

    /** The base URL of the gateway, such as {@code http://127.0.0.1:3000}. */
    public URI baseUrl() {
        return gateway.baseUrl();
    }

    public Stack stack() {
        return stack;
    }

    /** Every provisioner warning and unsupported template feature, as printed at startup. */
    public List<String> notes() {
        return notes;
    }

    /** The event sources (queues, streams, schedules), each as its startup line describes it. */
    public List<String> eventSources() {
        return sources.stream().map(EventSource::describe).toList();
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** How many handler instances of the function were initialised so far. */
    public int initialisations(String functionLogicalId) {
        LocalFunction function = functions.get(functionLogicalId);
        if (function == null) {
            throw new NoSuchElementException("No running function " + functionLogicalId);
        }
        return function.initialisations();
    }

    /** What the function's handler is constructed with. */
    public Map<String, String> functionEnvironment(String functionLogicalId) {
        LocalFunction function = functions.get(functionLogicalId);
        if (function == null) {
            throw new NoSuchElementException("No running function " + functionLogicalId);
        }
        return function.spec().environment();
    }

    Backend backend() {
        return backend;
    }

    /** The IAM check of the functions' calls, with their roles; null under {@code --no-iam}. */
    public IamEnforcer iam() {
        return iam;
    }

    /**
     * Invokes a function directly with {@code payload} as its event, as {@code sam local invoke}
     * does (for tests that drive a function whose event source is off).
     */
    Invocation invoke(String functionLogicalId, byte[] payload) {
        LocalFunction function = functions.get(functionLogicalId);
        if (function == null) {
            throw new NoSuchElementException("No running function " + functionLogicalId);
        }
        return function.invoke(payload);
    }

    /** Stops the event sources first (no new invocations), then the gateway, the functions and the emulators it started. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sources.forEach(EventSource::close);
        gateway.close();
        functions.values().forEach(LocalFunction::close);
        backend.close();
        options.out().println("Longhaul local cloud stopped");
    }

    /** When this JVM started, for the startup time of the command. */
    static Instant jvmStart() {
        return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }
}
