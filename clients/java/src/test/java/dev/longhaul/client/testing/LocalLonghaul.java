package dev.longhaul.client.testing;

import dev.longhaul.emulators.Emulators;
import dev.longhaul.local.Jwt;
import dev.longhaul.local.LocalCloud;
import dev.longhaul.local.LocalCloudOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The local cloud the clients' tests talk to: the repository's template and function jars on the
 * shared in-process emulators, started once per test JVM with a JWT secret of its own and stopped
 * when the JVM exits. The function jars must have been packaged (the reactor's build does it
 * before it reaches the clients).
 */
public final class LocalLonghaul {
    public static final String JWT_SECRET = "test-secret-for-the-clients";
    /** An owner may have 3 queued or running tasks: the 429 tests fill them (every test uses owners of its own). */
    public static final int MAX_ACTIVE_TASKS_PER_OWNER = 3;
    /** Generous: the machine running the tests may be loaded. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private static LocalCloud cloud;

    private LocalLonghaul() {
    }

    /** The cloud's base URL, starting it on first use. */
    public static synchronized URI baseUrl() {
        if (cloud == null) {
            LocalCloud started = LocalCloud.start(LocalCloudOptions.builder()
                    .template(repositoryRoot().resolve("template.yaml"))
                    .port(0)
                    .jwtSecret(JWT_SECRET)
                    .stackName("clients")
                    .envVars(envVars())
                    // webhook retries after 1 s, 4 s, ... instead of 30 s, 2 min, ...
                    .parameterOverride("WebhookBackoffBaseSeconds", "1")
                    .environment(Map.of())
                    .emulators(Emulators.shared())
                    .out(new PrintStream(PrintStream.nullOutputStream()))
                    .build());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "clients-cloud-shutdown"));
            cloud = started;
        }
        return cloud.baseUrl();
    }

    /** A token the cloud accepts for {@code subject}, valid for an hour. */
    public static String token(String subject) {
        return new Jwt(JWT_SECRET).mint(subject, Jwt.LOCAL_ISSUER, Jwt.LOCAL_AUDIENCE, Instant.now(), Duration.ofHours(1));
    }

    /** An owner no other test uses. */
    public static String owner(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    /** Waits for the condition, checking it every 100 ms, failing with {@code what} after {@link #PATIENCE}. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    public static Path repositoryRoot() {
        String root = System.getProperty("longhaul.root.dir");
        return Path.of(root == null ? "../.." : root).toAbsolutePath().normalize();
    }

    private static Path envVars() {
        try {
            Path file = Files.createTempFile("clients-env-vars", ".json");
            file.toFile().deleteOnExit();
            return Files.writeString(file, "{\"ApiFunction\": {\"MAX_ACTIVE_TASKS_PER_OWNER\": "
                    + MAX_ACTIVE_TASKS_PER_OWNER + "}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
