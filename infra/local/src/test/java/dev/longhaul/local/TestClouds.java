package dev.longhaul.local;

import com.amazonaws.services.lambda.runtime.Context;
import dev.longhaul.core.json.Json;
import dev.longhaul.emulators.Emulators;
import dev.longhaul.local.fixture.FixtureHandler;
import dev.longhaul.local.iam.IamRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local clouds of the end-to-end tests, each started once per test JVM on the shared in-process
 * emulators and stopped when the JVM exits: one runs the repository's {@code template.yaml} with
 * its real function jars, the other the test template with {@link FixtureHandler}.
 */
final class TestClouds {

    static final String JWT_SECRET = "test-secret-for-the-local-cloud";
    static final String FIXTURE_ISSUER = "https://issuer.fixture.test/";
    static final String FIXTURE_AUDIENCE = "fixture-client";
    /**
     * The --env-vars overrides the suites check: the API signs result URLs for 7 s, and an owner
     * may have 3 active tasks (every test uses owners of its own, with fewer at once).
     */
    static final int MAX_ACTIVE_TASKS_PER_OWNER = 3;
    static final String ENV_VARS = "{\"ApiFunction\": {\"PRESIGN_TTL_SECONDS\": 7, \"MAX_ACTIVE_TASKS_PER_OWNER\": "
            + MAX_ACTIVE_TASKS_PER_OWNER + "}}";

    /**
     * Every AWS call the functions of the repository's template made in this test JVM, as the IAM
     * check decided it: what IamConformanceTest reads.
     */
    static final IamRecorder IAM_CALLS = new IamRecorder();

    private static LocalCloud longhaul;
    private static LocalCloud fixture;
    private static Path fixtureRecords;

    private TestClouds() {
    }

    /** The repository's template on the emulators. */
    static synchronized LocalCloud longhaul() {
        if (longhaul == null) {
            longhaul = start(longhaulOptions(Map.of()).emulators(Emulators.shared()).stackName("e2e").build());
        }
        return longhaul;
    }

    /** Options for the repository's template; {@code environment} picks the backend. */
    static LocalCloudOptions.Builder longhaulOptions(Map<String, String> environment) {
        return LocalCloudOptions.builder()
                .template(Path.of(System.getProperty("longhaul.local.template",
                        repositoryRoot().resolve("template.yaml").toString())))
                .port(0)
                .jwtSecret(JWT_SECRET)
                .envVars(write("env-vars", ENV_VARS))
                // webhook retries after 1 s, 4 s, ... instead of 30 s, 2 min, ...
                .parameterOverride("WebhookBackoffBaseSeconds", "1")
                .iamRecorder(IAM_CALLS)
                .environment(environment);
    }

    static synchronized LocalCloud fixture() {
        if (fixture == null) {
            Path directory = temporaryDirectory("fixture-stack");
            fixtureRecords = directory.resolve("records");
            Path template = directory.resolve("fixture-template.yaml");
            try (InputStream in = TestClouds.class.getResourceAsStream("/fixture-template.yaml")) {
                Files.copy(in, template);
                assembleFixtureCode(directory.resolve("fixture-functions"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            fixture = start(LocalCloudOptions.builder()
                    .template(template)
                    .port(0)
                    .jwtSecret(JWT_SECRET)
                    .stackName("fixture")
                    .parameterOverride("RecordDir", fixtureRecords.toString())
                    .parameterOverride("Issuer", FIXTURE_ISSUER)
                    .parameterOverride("Audience", FIXTURE_AUDIENCE)
                    .scheduleInterval(Duration.ofSeconds(1))
                    .environment(Map.of())
                    .emulators(Emulators.shared())
                    .build());
        }
        return fixture;
    }

    /** The events a fixture function received so far, oldest first. */
    static List<Map<String, Object>> recorded(String functionLogicalId) {
        fixture();
        Path directory = fixtureRecords.resolve("fixture-" + functionLogicalId);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                events.add(Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)));
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LocalCloud start(LocalCloudOptions options) {
        LocalCloud cloud = LocalCloud.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(cloud::close, "test-cloud-shutdown"));
        return cloud;
    }

    /**
     * Lambda's directory layout: the fixture classes at the root, their dependencies (the Lambda
     * core interfaces, Longhaul's JSON and the Jackson it runs on) in lib/ or, when the build hands
     * over class directories,
     * at the root as well.
     */
    private static void assembleFixtureCode(Path code) throws IOException {
        Path classes = location(FixtureHandler.class);
        Path fixturePackage = classes.resolve("dev/longhaul/local/fixture");
        copyTree(fixturePackage, code.resolve("dev/longhaul/local/fixture"));
        for (Class<?> dependency : List.of(Context.class, Json.class, com.fasterxml.jackson.jr.ob.JSON.class,
                com.fasterxml.jackson.core.JsonFactory.class)) {
            Path location = location(dependency);
            if (Files.isDirectory(location)) {
                copyTree(location, code);
            } else {
                Files.createDirectories(code.resolve("lib"));
                Files.copy(location, code.resolve("lib").resolve(location.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static Path repositoryRoot() {
        String root = System.getProperty("longhaul.root.dir");
        return Path.of(root == null ? "../.." : root).toAbsolutePath().normalize();
    }

    static Path write(String prefix, String content) {
        try {
            Path file = Files.createTempFile(prefix, ".json");
            file.toFile().deleteOnExit();
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
