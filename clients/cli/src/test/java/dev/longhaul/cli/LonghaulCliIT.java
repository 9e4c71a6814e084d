package dev.longhaul.cli;

import static dev.longhaul.client.testing.LocalLonghaul.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longhaul.client.LonghaulClient;
import dev.longhaul.client.LonghaulException;
import dev.longhaul.client.TaskStatus;
import dev.longhaul.client.testing.LocalLonghaul;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code longhaul.jar}, run as a process the way a person or a script runs it,
 * against the local cloud started in this JVM: every exit code, the wrapper script, and the
 * progress display with and without a real terminal. The outputs of every command are checked
 * with the same command lines run in this JVM, which spares a JVM start per check.
 */
class LonghaulCliIT {
    private static final Path JAR = Path.of(System.getProperty("longhaul.cli.jar", "target/longhaul.jar")).toAbsolutePath();
    /** The wrapper a person puts on PATH; it runs the jar beside it. */
    private static final Path SCRIPT = Path.of(System.getProperty("longhaul.cli.script", "longhaul")).toAbsolutePath();
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    /** A short-lived JVM starts faster on C1 alone (the wrapper script does the same). */
    private static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final Pattern TASK_ID = Pattern.compile("^[0-9a-hjkmnp-tv-z]{36}$");

    @TempDir
    Path directory;

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** An owner of its own, and the environment that makes the command act for it. */
    private static Map<String, String> as(String owner) {
        Map<String, String> environment = new HashMap<>();
        environment.put("LONGHAUL_URL", LocalLonghaul.baseUrl().toString());
        environment.put("LONGHAUL_TOKEN", LocalLonghaul.token(owner));
        return environment;
    }

    private static LonghaulClient client(String owner) {
        String token = LocalLonghaul.token(owner);
        return LonghaulClient.builder().baseUrl(LocalLonghaul.baseUrl()).token(() -> token).build();
    }

    /** The jar as a process: what exit codes, terminals and the wrapper need. */
    private Run longhaul(Map<String, String> environment, String... args) {
        return finish(start(environment, args));
    }

    /** The same command line in this JVM (no terminal here): outputs without a JVM start each. */
    private static Run command(Map<String, String> environment, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = Longhaul.run(args, environment, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private Started start(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return launch(new ProcessBuilder(command), environment);
    }

    private record Started(Process process, Path out, Path err) {
        String outSoFar() {
            try {
                return Files.readString(out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Started launch(ProcessBuilder builder, Map<String, String> environment) {
        try {
            Path out = Files.createTempFile(directory, "out", ".txt");
            Path err = Files.createTempFile(directory, "err", ".txt");
            builder.environment().keySet().removeIf(name -> name.startsWith("LONGHAUL_") || name.equals("TERM"));
            builder.environment().putAll(environment);
            builder.redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectError(err.toFile());
            return new Started(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run finish(Started started) {
        try {
            if (!started.process().waitFor(LocalLonghaul.PATIENCE.toSeconds() * 2, TimeUnit.SECONDS)) {
                started.process().destroyForcibly();
                fail("longhaul did not finish: " + started.outSoFar());
            }
            return new Run(started.process().exitValue(), started.outSoFar(),
                    Files.readString(started.err(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return Output.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    @Test
    void helpListsTheExitCodes() {
        Run help = longhaul(Map.of(), "--help");
        assertEquals(0, help.exit(), help.toString());
        for (String code : List.of("0   success", "1   the task failed", "2   usage error", "3   the task was cancelled",
                "4   API or network error")) {
            assertTrue(help.out().contains(code), code + " in " + help);
        }
        for (String command : List.of("submit", "status", "wait", "list", "cancel", "delete", "download", "types", "webhooks")) {
            assertTrue(help.out().contains("  " + command + " "), command + " in " + help);
        }
        Run submitHelp = command(Map.of(), "submit", "--help");
        assertEquals(0, submitHelp.exit());
        assertTrue(submitHelp.out().contains("Exit codes:") && submitHelp.out().contains("--idempotency-key"), submitHelp.toString());
    }

    @Test
    void aSubmittedReportIsWaitedForAndDownloadedWithValuesTypedByItsSchema() throws IOException {
        Path csv = directory.resolve("stock.csv");
        Run run = longhaul(as(LocalLonghaul.owner("cli-report")), "submit", "report.stock", "rows=50", "format=csv", "seed=9",
                "--description", "from the CLI", "-o", csv.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(TASK_ID.matcher(firstLine(run.out())).matches(), run.toString());
        assertTrue(run.err().contains("wrote " + csv), run.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("product,store,stock,reserve,inTransit", lines.get(0));
        assertEquals(51, lines.size());

        Path params = Files.writeString(directory.resolve("params.json"), "{\"rows\": 5, \"format\": \"csv\"}");
        Path json = directory.resolve("stock.json");
        Run fromFile = command(as(LocalLonghaul.owner("cli-params")), "submit", "report.stock", "--params-file",
                params.toString(), "format=json", "-o", json.toString());
        assertEquals(0, fromFile.exit(), fromFile.toString());
        assertEquals(5, json(Files.readString(json)).size(), "KEY=VALUE overrides the file: " + Files.readString(json));
    }

    @Test
    void aFailedTaskExits1WithItsErrorOnStderr() {
        Run run = longhaul(as(LocalLonghaul.owner("cli-fail")), "submit", "demo.fail", "message=warehouse said no", "--wait");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("demo-failure: warehouse said no"), run.toString());
    }

    @Test
    void usageErrorsExit2() {
        String owner = LocalLonghaul.owner("cli-usage");
        Map<String, String> environment = as(owner);
        Run noUrl = longhaul(Map.of("LONGHAUL_TOKEN", "t"), "list");
        assertEquals(2, noUrl.exit(), noUrl.toString());
        assertTrue(noUrl.err().contains("LONGHAUL_URL"), noUrl.toString());
        assertEquals(2, command(environment, "list", "--bogus").exit());
        assertEquals(2, command(environment, "submit").exit(), "no TYPE");
        assertEquals(2, command(environment).exit(), "no command");
        assertEquals(2, command(environment, "download", "06h3ev2dx0gcdevcfs8z4ps7zhk4wdm2mwa0").exit(), "no -o");
        assertEquals(2, command(environment, "status", "").exit(), "an empty id");
        Run notAnAssignment = command(environment, "submit", "demo.sleep", "seconds");
        assertEquals(2, notAnAssignment.exit(), notAnAssignment.toString());
        assertTrue(notAnAssignment.err().contains("KEY=VALUE"), notAnAssignment.toString());
        assertEquals(List.of(), list(client(owner)), "nothing was created");
    }

    @Test
    void aCancelledTaskExits3() {
        String owner = LocalLonghaul.owner("cli-cancel");
        Started waiting = start(as(owner), "submit", "demo.sleep", "seconds=100", "steps=100", "--wait");
        await("the task id", () -> TASK_ID.matcher(firstLine(waiting.outSoFar())).matches());
        String id = firstLine(waiting.outSoFar());
        LonghaulClient client = client(owner);
        await("the task to run", () -> client.get(id).status().equals(TaskStatus.RUNNING));
        client.cancel(id);

        Run run = finish(waiting);
        assertEquals(3, run.exit(), run.toString());
        assertTrue(run.err().contains("task " + id + " was cancelled"), run.toString());
    }

    @Test
    void apiAndNetworkErrorsExit4() throws IOException {
        Map<String, String> environment = as(LocalLonghaul.owner("cli-errors"));
        Run missing = longhaul(environment, "status", "0000000000000000000000000000000000zz");
        assertEquals(4, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("task-not-found (404)"), missing.toString());

        Run asJson = command(environment, "--json", "status", "0000000000000000000000000000000000zz");
        assertEquals(4, asJson.exit());
        assertEquals("task-not-found", json(asJson.err()).path("code").asText(), asJson.toString());

        Run invalid = command(environment, "submit", "report.stock", "rows=0");
        assertEquals(4, invalid.exit(), invalid.toString());
        assertTrue(invalid.err().contains("invalid-request (400)"), invalid.toString());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run unreachable = longhaul(environment, "--url", "http://127.0.0.1:" + closedPort, "list");
        assertEquals(4, unreachable.exit(), unreachable.toString());
        assertTrue(unreachable.err().contains("failed after"), unreachable.toString());
    }

    @Test
    void everyCommandPrintsJsonWithJson() throws IOException {
        String owner = LocalLonghaul.owner("cli-json");
        Map<String, String> environment = as(owner);
        Run submitted = command(environment, "--json", "submit", "demo.sleep", "seconds=0");
        assertEquals(0, submitted.exit(), submitted.toString());
        String id = json(submitted.out()).path("id").asText();
        assertTrue(TASK_ID.matcher(id).matches(), submitted.toString());

        Run waited = command(environment, "wait", id, "--json");
        assertEquals(0, waited.exit(), waited.toString());
        List<String> states = waited.out().lines().toList();
        assertFalse(states.isEmpty(), waited.toString());
        states.forEach(line -> assertEquals(id, json(line).path("id").asText(), line));
        assertEquals("succeeded", json(states.get(states.size() - 1)).path("status").asText());

        JsonNode status = json(command(environment, "status", id, "--json").out());
        assertEquals("succeeded", status.path("status").asText());
        assertEquals("application/json", status.path("result").path("contentType").asText(), status.toString());

        Run failing = command(environment, "--json", "submit", "demo.fail");
        String failedId = json(failing.out()).path("id").asText();
        assertEquals(1, command(environment, "--json", "wait", failedId).exit());
        JsonNode listed = json(command(environment, "--json", "list").out());
        assertEquals(2, listed.size(), listed.toString());
        JsonNode onlyFailed = json(command(environment, "--json", "list", "--status", "failed", "--type", "demo.fail").out());
        assertEquals(1, onlyFailed.size(), onlyFailed.toString());
        assertEquals(failedId, onlyFailed.path(0).path("id").asText());

        Path file = directory.resolve("slept.json");
        JsonNode written = json(command(environment, "--json", "download", id, "-o", file.toString()).out());
        assertEquals(Files.size(file), written.path("bytes").asLong());
        assertEquals("{\"sleptSeconds\":0}", Files.readString(file).strip());

        String slow = json(command(environment, "--json", "submit", "demo.sleep", "seconds=100", "steps=100").out()).path("id").asText();
        JsonNode cancelled = json(command(environment, "--json", "cancel", slow).out());
        assertEquals(slow, cancelled.path("id").asText());
        assertTrue(cancelled.path("status").asText().equals("cancelled") || cancelled.path("cancelRequested").asBoolean(),
                cancelled.toString());
        JsonNode deleted = json(command(environment, "--json", "delete", id).out());
        assertTrue(deleted.path("deleted").asBoolean(), deleted.toString());
        assertEquals(4, command(environment, "status", id).exit(), "deleted");

        JsonNode webhook = json(command(environment, "--json", "webhooks", "add", "http://127.0.0.1:9/hook",
                "--event", "task.failed", "--event", "task.cancelled").out());
        assertTrue(webhook.path("secret").asText().startsWith("whsec_"), webhook.toString());
        JsonNode webhooks = json(command(environment, "--json", "webhooks", "list").out());
        assertEquals(1, webhooks.size());
        assertEquals(2, webhooks.path(0).path("events").size());
        assertTrue(webhooks.path(0).path("secret").isMissingNode(), "never listed: " + webhooks);
        assertTrue(json(command(environment, "--json", "webhooks", "rm", webhook.path("id").asText()).out())
                .path("deleted").asBoolean());
        assertEquals(0, json(command(environment, "--json", "webhooks", "list").out()).size());
    }

    @Test
    void peopleGetTablesAndSummaries() {
        String owner = LocalLonghaul.owner("cli-text");
        Map<String, String> environment = as(owner);
        String id = firstLine(command(environment, "submit", "demo.sleep", "seconds=0", "--wait").out());

        Run status = command(environment, "status", id);
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().contains("status       succeeded"), status.toString());
        assertTrue(status.out().contains("result       application/json"), status.toString());

        Run list = command(environment, "list");
        assertTrue(list.out().lines().findFirst().orElse("").startsWith("ID "), list.toString());
        assertTrue(list.out().contains(id + "  demo.sleep"), list.toString());

        Run added = command(environment, "webhooks", "add", "http://127.0.0.1:9/hook");
        assertEquals(0, added.exit(), added.toString());
        assertTrue(added.out().contains("secret  whsec_"), added.toString());
        Matcher webhookId = Pattern.compile("id\\s+(\\S+)").matcher(added.out());
        assertTrue(webhookId.find(), added.toString());
        assertTrue(command(environment, "webhooks", "list").out().contains(webhookId.group(1)));
        Run removed = command(environment, "webhooks", "rm", webhookId.group(1));
        assertEquals("deleted " + webhookId.group(1), removed.out().strip());
        Run again = command(environment, "webhooks", "rm", webhookId.group(1));
        assertEquals(4, again.exit());
        assertTrue(again.err().contains("webhook-not-found"), again.toString());

        Run cancelFinished = command(environment, "cancel", id);
        assertEquals(4, cancelFinished.exit(), "a succeeded task cannot be cancelled: " + cancelFinished);
        assertTrue(cancelFinished.err().contains("task-finished (409)"), cancelFinished.toString());
    }

    @Test
    void typesListsEachTypeWithItsParametersFromTheDeployment() {
        Map<String, String> environment = as(LocalLonghaul.owner("cli-types"));
        Run types = command(environment, "types");
        assertEquals(0, types.exit(), types.toString());
        List<String> lines = types.out().lines().toList();
        assertEquals(8, lines.size(), types.toString());
        assertTrue(lines.get(0).startsWith("demo.sleep  A demo type: sleeps"), types.toString());
        assertEquals("    seconds:integer*  steps:integer=10", lines.get(1));
        assertEquals("    message:string=demo failure", lines.get(3));
        assertTrue(lines.get(4).startsWith("report.stock  (resumable)  A synthetic stock-by-store report"), types.toString());
        assertEquals("    rows:integer*  format:csv|json=csv  seed:integer=0", lines.get(5));
        assertTrue(lines.get(6).startsWith("batch  Fans out and fans in"), types.toString());
        assertEquals("    tasks:array*", lines.get(7));

        Run asJson = command(environment, "--json", "types");
        assertEquals(0, asJson.exit(), asJson.toString());
        JsonNode report = json(asJson.out()).get(2);
        assertEquals("report.stock", report.path("type").asText());
        assertEquals("text/csv; charset=utf-8", report.path("contentType").asText());
        assertEquals("https://json-schema.org/draft/2020-12/schema", report.path("parameters").path("$schema").asText());
    }

    /** The deployment's schema decides a value's JSON type: 404 is a string where the schema says so, and abc no integer. */
    @Test
    void submitTypesValuesByTheSchemaNotByTheirForm() {
        String owner = LocalLonghaul.owner("cli-typing");
        Run run = command(as(owner), "submit", "demo.fail", "message=404", "--wait");
        assertEquals(1, run.exit(), "by its form 404 would be an integer, which the API refuses: " + run);
        assertTrue(run.err().contains("demo-failure: 404"), run.toString());

        Run notAnInteger = command(as(owner), "submit", "demo.sleep", "seconds=abc");
        assertEquals(2, notAnInteger.exit(), notAnInteger.toString());
        assertTrue(notAnInteger.err().contains("seconds must be an integer, not 'abc'"), notAnInteger.toString());
        assertEquals(1, list(client(owner)).size(), "only the first was created");
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlace() {
        // through the wrapper script, as a person types it
        String command = String.join(" ", List.of(quote(SCRIPT.toString()),
                "submit", "demo.sleep", "seconds=4", "steps=4", "--wait"));
        Map<String, String> environment = as(LocalLonghaul.owner("cli-tty"));
        environment.put("TERM", "xterm");
        // script(1) runs the command on a new pseudo-terminal and copies what it draws to its stdout
        Run run = finish(launch(new ProcessBuilder("script", "-qefc", command, "/dev/null"), environment));
        assertEquals(0, run.exit(), run.toString());

        String screen = run.out();
        List<String> frames = new ArrayList<>();
        for (String part : screen.split("\r\033\\[2K")) {
            if (part.startsWith("[")) {
                frames.add(part);
            }
        }
        assertTrue(frames.size() >= 3, "several frames: " + printable(screen));
        List<Integer> percents = new ArrayList<>();
        Pattern frame = Pattern.compile("^\\[[#.]{24}] +(\\d+)%  (\\w+)  .*elapsed \\d+:\\d\\d");
        for (String part : frames) {
            Matcher matcher = frame.matcher(part);
            assertTrue(matcher.find(), "a frame: " + printable(part));
            percents.add(Integer.parseInt(matcher.group(1)));
        }
        for (int i = 1; i < percents.size(); i++) {
            assertTrue(percents.get(i) >= percents.get(i - 1), "the percent only grows: " + percents);
        }
        assertTrue(percents.get(0) < 100 && percents.get(percents.size() - 1) == 100, percents.toString());
        assertTrue(frames.get(frames.size() - 1).contains("succeeded"), printable(screen));
        // the frames replace one another: no line feed between them, one after the last
        String drawn = screen.substring(screen.indexOf("\r\033[2K"));
        assertEquals(drawn.indexOf('\n'), drawn.length() - 1, printable(drawn));
    }

    @Test
    void withoutATerminalStatusLinesComeOncePerChangeWithoutControlCharacters() {
        Run run = longhaul(as(LocalLonghaul.owner("cli-plain")), "submit", "demo.sleep", "seconds=3", "steps=3", "--wait");
        assertEquals(0, run.exit(), run.toString());
        String all = run.out() + run.err();
        assertFalse(all.contains("\r") || all.contains("\033"), printable(all));
        List<String> lines = run.err().lines().toList();
        assertTrue(lines.size() >= 2, run.toString());
        Pattern line = Pattern.compile("^ *(\\d+)%  (\\w+)  ");
        String previous = null;
        for (String text : lines) {
            Matcher matcher = line.matcher(text);
            assertTrue(matcher.find(), "a status line: " + text);
            String state = matcher.group(1) + " " + matcher.group(2);
            assertNotNull(state);
            assertFalse(state.equals(previous), "one line per change: " + run);
            previous = state;
        }
        assertEquals("100 succeeded", previous);
    }

    private static List<Object> list(LonghaulClient client) {
        List<Object> tasks = new ArrayList<>();
        try {
            client.list(dev.longhaul.client.TaskQuery.all()).forEach(tasks::add);
        } catch (LonghaulException e) {
            fail(e);
        }
        return tasks;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static String printable(String text) {
        return text.replace("\r", "\\r").replace("\033", "\\e");
    }
}
