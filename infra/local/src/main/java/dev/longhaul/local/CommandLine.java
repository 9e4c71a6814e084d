package dev.longhaul.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code longhaul-local.jar} command line: start the cloud (the default), mint a development
 * token, print the usage or the version. Every option is checked here, before anything starts.
 */
final class CommandLine {

    static final String USAGE = """
            Usage:
              java -jar longhaul-local.jar [options]            start the local cloud
              java -jar longhaul-local.jar token SUBJECT [opts] print a development JWT for SUBJECT
              java -jar longhaul-local.jar help | --version

            Options of the cloud:
              --template FILE              SAM template (default template.yaml)
              --host HOST                  gateway address (default 127.0.0.1)
              --port PORT                  gateway port (default 3000; 0 picks a free one)
              --jwt-secret SECRET          HS256 secret of the JWT authorizer (default: LONGHAUL_JWT_SECRET,
                                           else the development-only 'longhaul-local-dev-secret')
              --env-vars FILE              function variables, as sam local: {"Parameters":{..},"<LogicalId>":{..}}
              --parameter-overrides K=V,.. template parameters (JwtIssuer and JwtAudience default to local values)
              --stack-name NAME            prefix of the resource names (default longhaul)
              --max-concurrency N          instances per function, hence concurrent invocations (default 4)
              --schedule-interval SECONDS  fire every Schedule/ScheduleV2 event at this interval instead (tests, demos;
                                           by default rate(1 minute), the sweeper's, fires every 5 s)
              --verbose                    list every template feature not applied locally, not just their count
              --no-iam                     do not check the functions' AWS calls against their roles (IAM is
                                           enforced by default: each call is checked against the function's role
                                           as SAM expands the template, and a denied call fails as on AWS)

            Options of token:
              --jwt-secret SECRET          as above
              --hours H                    lifetime (default 12)
              --issuer ISS                 default https://longhaul.local/
              --audience AUD               default longhaul-local
              --scope "A B"                space-separated scopes claim

            The console: http://127.0.0.1:3000/console/ ("sign in as" any name).
            Backends: the in-process emulators, unless AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_DYNAMODB/_SQS/_S3
            is set (LocalStack, moto, an account), with AWS_REGION and the AWS credentials of the environment.
            """;
    static final String HINT = "Run 'java -jar longhaul-local.jar help' for the options.";

    private static final Set<String> CLOUD_OPTIONS = Set.of("--template", "--host", "--port", "--jwt-secret",
            "--env-vars", "--parameter-overrides", "--stack-name", "--max-concurrency", "--schedule-interval");
    private static final Set<String> TOKEN_OPTIONS = Set.of("--jwt-secret", "--hours", "--issuer", "--audience", "--scope");
    /** How long Ctrl-C waits for the emulators to stop before the JVM's exit takes them (in memory, nothing to flush). */
    static final Duration EXIT_GRACE = Duration.ofMillis(1000);

    private CommandLine() {
    }

    /** Runs the command; for the cloud, blocks until the JVM is asked to stop. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        String first = args.length == 0 ? "" : args[0];
        switch (first) {
            case "token" -> {
                out.println(token(args, environment));
                return 0;
            }
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                return 0;
            }
            case "version", "--version" -> {
                out.println("longhaul-local " + version());
                return 0;
            }
            default -> {
                // the cloud, below
            }
        }
        LocalCloudOptions options = cloudOptions(args, environment, out);
        // Registered before the start, so a Ctrl-C as "ready" is printed still stops the cloud cleanly
        // (a start about to return is given the grace to; one still provisioning is left to the exit).
        AtomicReference<LocalCloud> running = new AtomicReference<>();
        CountDownLatch startReturned = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                startReturned.await(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LocalCloud cloud = running.get();
            if (cloud != null) {
                stopForExit(cloud, out);
            }
            stopped.countDown();
        }, "local-cloud-shutdown"));
        try {
            running.set(LocalCloud.start(options));
        } finally {
            startReturned.countDown();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Ctrl-C: the cloud stops taking work at once (event sources, gateway, functions); the emulators
     * get {@link #EXIT_GRACE} to stop, after which the JVM's exit ends them.
     */
    static void stopForExit(LocalCloud cloud, PrintStream out) {
        Thread closer = new Thread(cloud::close, "local-cloud-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(EXIT_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            out.println("Longhaul local cloud stopped (the emulators end with the JVM)");
        }
    }

    static LocalCloudOptions cloudOptions(String[] args, Map<String, String> environment, PrintStream out) {
        LocalCloudOptions.Builder options = LocalCloudOptions.builder()
                .environment(environment).out(out).origin(LocalCloud.jvmStart());
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--verbose")) {
                options.verbose(true);
                continue;
            }
            if (option.equals("--no-iam")) {
                options.iam(false);
                continue;
            }
            if (!CLOUD_OPTIONS.contains(option)) {
                throw unknown(option, "");
            }
            String value = value(args, ++i, option, CLOUD_OPTIONS);
            switch (option) {
                case "--template" -> options.template(Path.of(value));
                case "--host" -> options.host(value);
                case "--port" -> {
                    int port = integer(value, option);
                    if (port < 0 || port > 65535) {
                        throw new UsageException("--port takes a port number from 0 to 65535 (0 picks a free one), got " + value);
                    }
                    options.port(port);
                }
                case "--jwt-secret" -> options.jwtSecret(secret(value));
                case "--env-vars" -> options.envVars(Path.of(value));
                case "--stack-name" -> options.stackName(value);
                case "--max-concurrency" -> options.maxConcurrency(atLeastOne(value, option, "instances"));
                case "--schedule-interval" ->
                        options.scheduleInterval(Duration.ofSeconds(atLeastOne(value, option, "seconds")));
                case "--parameter-overrides" -> {
                    for (String pair : value.split(",")) {
                        int equals = pair.indexOf('=');
                        if (equals <= 0 || pair.substring(0, equals).isBlank()) {
                            throw new UsageException("--parameter-overrides takes Name=Value pairs separated by commas, got '"
                                    + pair + "'");
                        }
                        options.parameterOverride(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
                    }
                }
                default -> throw new IllegalStateException(option);
            }
        }
        return options.build();
    }

    static String token(String[] args, Map<String, String> environment) {
        if (args.length < 2 || args[1].startsWith("-")) {
            if (args.length >= 2 && (args[1].equals("--help") || args[1].equals("-h"))) {
                throw new UsageException("token SUBJECT [--jwt-secret S] [--hours H] [--issuer I] [--audience A] [--scope \"a b\"]");
            }
            throw new UsageException("token needs a SUBJECT: java -jar longhaul-local.jar token alice");
        }
        String subject = args[1];
        String secret = null;
        String issuer = Jwt.LOCAL_ISSUER;
        String audience = Jwt.LOCAL_AUDIENCE;
        String scope = null;
        long hours = 12;
        for (int i = 2; i < args.length; i++) {
            String option = args[i];
            if (!TOKEN_OPTIONS.contains(option)) {
                throw unknown(option, "token ");
            }
            String value = value(args, ++i, option, TOKEN_OPTIONS);
            switch (option) {
                case "--jwt-secret" -> secret = secret(value);
                case "--issuer" -> issuer = value;
                case "--audience" -> audience = value;
                case "--hours" -> hours = atLeastOne(value, "token --hours", "hours");
                case "--scope" -> scope = value;
                default -> throw new IllegalStateException(option);
            }
        }
        Jwt jwt = new Jwt(Jwt.secret(secret, environment));
        if (scope == null) {
            return jwt.mint(subject, issuer, audience, Instant.now(), Duration.ofHours(hours));
        }
        Instant now = Instant.now();
        return jwt.sign(Map.of("sub", subject, "iss", issuer, "aud", audience, "iat", now.getEpochSecond(),
                "exp", now.plus(Duration.ofHours(hours)).getEpochSecond(), "scope", scope));
    }

    /** The version of this build, from the jar. */
    static String version() {
        try (InputStream in = CommandLine.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "(unknown version)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UsageException unknown(String argument, String command) {
        if (argument.startsWith("-")) {
            return new UsageException("unknown option " + command + argument);
        }
        return new UsageException("unexpected argument '" + argument + "'" + (command.isEmpty()
                ? " (options start with --; 'token SUBJECT' mints a token)" : ""));
    }

    private static String value(String[] args, int index, String option, Set<String> options) {
        if (index >= args.length || options.contains(args[index]) || args[index].equals("--verbose")) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static String secret(String value) {
        if (value.isEmpty()) {
            throw new UsageException("--jwt-secret must not be empty (leave it out to use LONGHAUL_JWT_SECRET,"
                    + " else the development default)");
        }
        return value;
    }

    private static int integer(String value, String option) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a whole number, got '" + value + "'");
        }
    }

    private static int atLeastOne(String value, String option, String unit) {
        int number = integer(value, option);
        if (number < 1) {
            throw new UsageException(option + " takes a whole number of " + unit + ", at least 1, got " + value);
        }
        return number;
    }

    /** A command line that cannot be run as written. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
