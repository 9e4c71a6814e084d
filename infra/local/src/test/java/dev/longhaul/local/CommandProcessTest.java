package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.emulators.Emulators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command as a user runs it, in its own JVM: exit code and message of a mistake, made before
 * any emulator starts, and a stop on SIGTERM (what Ctrl-C sends, SIGINT, runs the same hook). The
 * bounds are generous: they catch a hang, not a slow machine.
 */
class CommandProcessTest {

    private static final Duration HANG = Duration.ofMinutes(5);

    record Run(int status, String out, String err) {
    }

    private static ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalCloud.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(TestClouds.repositoryRoot().toFile());
        builder.environment().remove("LONGHAUL_JWT_SECRET");
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_ENDPOINT_URL"));
        return builder;
    }

    private static Run run(String... args) {
        try {
            Process process = command(args).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(HANG.toSeconds(), TimeUnit.SECONDS), "the command did not end");
            return new Run(process.exitValue(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUnknownFlagExitsWith2AndNamesIt() {
        Run run = run("--x");
        assertEquals(2, run.status(), run.err());
        assertEquals("longhaul-local: unknown option --x\n" + CommandLine.HINT + "\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void aBusyPortExitsWith1NamingThePortBeforeAnyEmulatorStarts() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            Run run = run("--port", Integer.toString(port));
            assertEquals(1, run.status(), run.err());
            assertTrue(run.err().contains("Port " + port + " on 127.0.0.1 is already in use"), run.err());
            assertTrue(run.err().contains("--port"), run.err());
            assertFalse(run.out().contains("Longhaul local cloud:"), "the backend started: " + run.out());
            assertFalse(run.out().contains("DynamoDB Local"), "an emulator started: " + run.out());
        }
    }

    @Test
    void aMistakeInAFileOrParameterFailsBeforeAnyEmulatorStarts() {
        Run missing = run("--port", "0", "--env-vars", "no-such-env-vars.json");
        assertEquals(1, missing.status(), missing.err());
        assertTrue(missing.err().contains("--env-vars file no-such-env-vars.json"), missing.err());
        Run unknown = run("--port", "0", "--parameter-overrides", "NoSuchParameter=1");
        assertEquals(1, unknown.status(), unknown.err());
        assertTrue(unknown.err().contains("the template has no parameter NoSuchParameter"), unknown.err());
        for (Run run : List.of(missing, unknown)) {
            assertFalse(run.out().contains("Longhaul local cloud:"), "the backend started: " + run.out());
        }
    }

    @Test
    void sigtermStopsTheCloud() throws Exception {
        Path log = Files.createTempFile("local-cloud", ".log");
        Process process = command("--port", "0").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        try {
            long deadline = System.nanoTime() + HANG.toNanos();
            while (!Files.readString(log).contains("Longhaul local cloud ready at")) {
                assertTrue(process.isAlive() && System.nanoTime() < deadline, "never ready: " + Files.readString(log));
                Thread.sleep(200); // polling the log for a condition, not waiting for time to pass
            }
            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(HANG.toSeconds(), TimeUnit.SECONDS), "did not stop: " + Files.readString(log));
            String output = Files.readString(log);
            assertTrue(output.contains("Longhaul local cloud stopped"), "exit " + process.exitValue() + ":\n" + output);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void closeStopsServingAndCompletes() {
        LocalCloud cloud = LocalCloud.start(TestClouds.longhaulOptions(Map.of()).emulators(Emulators.shared())
                .stackName("close-test").build());
        var uri = cloud.baseUrl().resolve("/console/");
        assertEquals(200, Http.get(uri, null).statusCode());
        assertTimeoutPreemptively(HANG, cloud::close);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<Void> after = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            throw new AssertionError("still answering after close: " + after.statusCode());
        } catch (ConnectException e) {
            // refused: nothing listens any more
        } catch (IOException e) {
            assertTrue(e.getCause() instanceof ConnectException || e instanceof java.net.http.HttpConnectTimeoutException,
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
