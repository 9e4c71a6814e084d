package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium's Python bindings): {@code clients/console/tests}, run with pytest against the local
 * cloud of the end-to-end tests. Screenshots go to {@code target/console-screenshots}.
 *
 * <p>Without Chromium, its driver, or Python's selenium and pytest the tests are skipped with the
 * reason, except in CI ({@code CI=true}), where {@code .ci/run} installs them and their absence fails.
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
    private static final long HANG_MINUTES = 20;

    @BeforeAll
    static void browserPresent() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add("Chromium at " + CHROMIUM + " (apt-get install -y chromium)");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            missing.add("its driver at " + CHROMEDRIVER + " (apt-get install -y chromium-driver)");
        }
        if (missing.isEmpty() && run(List.of("python3", "-c", "import selenium, pytest"), Map.of(), 2).status() != 0) {
            missing.add("Python's selenium and pytest (pip install selenium pytest)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String reason = "The console's browser tests need " + String.join(", ", missing) + "; .ci/run installs them";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason);
        }
        Assumptions.abort(reason);
    }

    @Test
    void javascriptUnitTestsPassInChromium() {
        pytest("tests/test_unit.py", Map.of());
    }

    @Test
    void consoleFlowsPassInChromiumAgainstTheLocalCloud() {
        String console = TestClouds.longhaul().baseUrl().resolve("/console/").toString();
        pytest("tests/test_console.py", Map.of("LONGHAUL_CONSOLE_URL", console));
        for (String screenshot : List.of("01-sign-in", "02-task-list", "03-task-succeeded", "04-new-task-json-editor",
                "07-task-cancelled", "08-task-failed", "09-webhook-secret", "10-task-phone", "11-task-list-phone")) {
            assertTrue(Files.isRegularFile(SCREENSHOTS.resolve(screenshot + ".png")), screenshot + ".png");
        }
    }

    private static void pytest(String tests, Map<String, String> environment) {
        Map<String, String> variables = new java.util.HashMap<>(environment);
        variables.put("LONGHAUL_SCREENSHOT_DIR", SCREENSHOTS.toString());
        variables.put("CHROMIUM", CHROMIUM.toString());
        variables.put("CHROMEDRIVER", CHROMEDRIVER.toString());
        Run run = run(List.of("python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", tests), variables, HANG_MINUTES);
        assertEquals(0, run.status(), "pytest " + tests + " failed:\n" + run.output());
    }

    record Run(int status, String output) {
    }

    /** Runs in clients/console, echoing the output to the build log as it comes. */
    private static Run run(List<String> command, Map<String, String> environment, long minutes) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(TestClouds.repositoryRoot().resolve("clients/console").toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        StringBuilder output = new StringBuilder();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Run(-1, e.toString());
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            process.getOutputStream().close();
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = lines.readLine()) != null; ) {
                        System.out.println("[console] " + line);
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "pytest-output");
            reader.start();
            if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(command + " did not end within " + minutes + " minutes:\n" + output);
            }
            reader.join(TimeUnit.MINUTES.toMillis(1));
            synchronized (output) {
                return new Run(process.exitValue(), output.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }
}
