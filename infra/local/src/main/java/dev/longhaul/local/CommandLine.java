package dev.longhaul.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The {@code longhaul-local.jar} command line: start the cloud (the default) or mint a development token. */
final class CommandLine {

    static final String USAGE = """
            Usage:
              java -jar longhaul-local.jar [options]            start the local cloud
              java -jar longhaul-local.jar token SUBJECT [opts] print a development JWT for SUBJECT

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
              --schedule-interval SECONDS  fire every Schedule/ScheduleV2 event at this interval instead (tests, demos)
              --no-iam                     do not check the functions' AWS calls against their roles (IAM is
                                           enforced by default: each call is checked against the function's role
                                           as SAM expands the template, and a denied call fails as on AWS)

            Options of token:
              --jwt-secret SECRET          as above
              --hours H                    lifetime (default 12)
              --issuer ISS                 default https://longhaul.local/
              --audience AUD               default longhaul-local
              --scope "A B"                space-separated scopes claim

            Backends: the in-process emulators, unless AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_DYNAMODB/_SQS/_S3
            is set (LocalStack, moto, an account), with AWS_REGION and the AWS credentials of the environment.
            """;

    private CommandLine() {
    }

    /** Runs the command; for the cloud, blocks until the JVM is asked to stop. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        if (args.length > 0 && args[0].equals("token")) {
            out.println(token(args, environment));
            return 0;
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(USAGE);
            return 0;
        }
        LocalCloudOptions options = cloudOptions(args, environment, out);
        LocalCloud cloud = LocalCloud.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cloud.close();
            stopped.countDown();
        }, "local-cloud-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static LocalCloudOptions cloudOptions(String[] args, Map<String, String> environment, PrintStream out) {
        LocalCloudOptions.Builder options = LocalCloudOptions.builder()
                .environment(environment).out(out).origin(LocalCloud.jvmStart());
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-iam")) {
                options.iam(false);
                continue;
            }
            String value = value(args, ++i, option);
            switch (option) {
                case "--template" -> options.template(Path.of(value));
                case "--host" -> options.host(value);
                case "--port" -> options.port(integer(value, option));
                case "--jwt-secret" -> options.jwtSecret(value);
                case "--env-vars" -> options.envVars(Path.of(value));
                case "--stack-name" -> options.stackName(value);
                case "--max-concurrency" -> options.maxConcurrency(integer(value, option));
                case "--schedule-interval" -> options.scheduleInterval(Duration.ofSeconds(integer(value, option)));
                case "--parameter-overrides" -> {
                    for (String pair : value.split(",")) {
                        int equals = pair.indexOf('=');
                        if (equals <= 0) {
                            throw new UsageException("--parameter-overrides takes Name=Value pairs, got " + pair);
                        }
                        options.parameterOverride(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
                    }
                }
                default -> throw new UsageException("Unknown option " + option);
            }
        }
        return options.build();
    }

    static String token(String[] args, Map<String, String> environment) {
        if (args.length < 2 || args[1].startsWith("--")) {
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
            String value = value(args, ++i, option);
            switch (option) {
                case "--jwt-secret" -> secret = value;
                case "--issuer" -> issuer = value;
                case "--audience" -> audience = value;
                case "--hours" -> hours = integer(value, option);
                case "--scope" -> scope = value;
                default -> throw new UsageException("Unknown option of token: " + option);
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

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static int integer(String value, String option) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a number, got " + value);
        }
    }

    /** A command line that cannot be run as written. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
