package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's parsing, without starting anything. */
class CommandLineTest {

    private static String refusal(String... args) {
        return assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.cloudOptions(args, Map.of(), System.out)).getMessage();
    }

    private static String tokenRefusal(String... args) {
        return assertThrows(CommandLine.UsageException.class, () -> CommandLine.token(args, Map.of())).getMessage();
    }

    @Test
    void anUnknownFlagIsNamedAsSuch() {
        assertEquals("unknown option --x", refusal("--x"));
        assertEquals("unknown option --nope", refusal("--nope", "1"));
        assertEquals("unknown option --prot", refusal("--port", "3001", "--prot", "3002"));
        assertTrue(refusal("3000").startsWith("unexpected argument '3000'"));
        assertEquals("unknown option token --nope", tokenRefusal("token", "alice", "--nope", "1"));
    }

    @Test
    void aMissingValueIsNamed() {
        assertEquals("--port needs a value", refusal("--port"));
        assertEquals("--template needs a value", refusal("--template", "--port", "1"));
        assertEquals("--env-vars needs a value", refusal("--env-vars", "--verbose"));
        assertEquals("--hours needs a value", tokenRefusal("token", "alice", "--hours"));
    }

    @Test
    void numbersAreChecked() {
        assertTrue(refusal("--schedule-interval", "0").contains("at least 1"));
        assertTrue(refusal("--schedule-interval", "-5").contains("at least 1"));
        assertTrue(refusal("--max-concurrency", "0").contains("at least 1"));
        assertTrue(refusal("--port", "70000").contains("0 to 65535"));
        assertEquals("--port takes a whole number, got 'abc'", refusal("--port", "abc"));
        assertTrue(tokenRefusal("token", "alice", "--hours", "0").startsWith("token --hours takes a whole number of hours, at least 1"));
        assertTrue(tokenRefusal("token", "alice", "--hours", "-3").contains("at least 1"));
    }

    @Test
    void anEmptySecretIsRefused() {
        assertTrue(refusal("--jwt-secret", "").startsWith("--jwt-secret must not be empty"));
        assertTrue(tokenRefusal("token", "alice", "--jwt-secret", "").startsWith("--jwt-secret must not be empty"));
        assertThrows(IllegalArgumentException.class, () -> LocalCloudOptions.builder().jwtSecret(""));
        assertThrows(IllegalArgumentException.class, () -> LocalCloudOptions.builder().scheduleInterval(Duration.ZERO));
    }

    @Test
    void parameterOverridesArePairs() {
        assertTrue(refusal("--parameter-overrides", "JwtIssuer").startsWith("--parameter-overrides takes Name=Value pairs"));
        assertTrue(refusal("--parameter-overrides", "=x").startsWith("--parameter-overrides takes Name=Value pairs"));
        LocalCloudOptions options = CommandLine.cloudOptions(new String[] {"--parameter-overrides", "A=1, B = two",
                "--verbose", "--schedule-interval", "3"}, Map.of(), System.out);
        assertEquals(Map.of("A", "1", "B", "two"), options.parameterOverrides());
        assertTrue(options.verbose());
        assertEquals(Duration.ofSeconds(3), options.scheduleInterval());
        assertFalse(CommandLine.cloudOptions(new String[0], Map.of(), System.out).verbose());
    }

    @Test
    void theSweepersMinuteFiresEveryFewSecondsByDefault() {
        java.time.ZoneId utc = java.time.ZoneId.of("UTC");
        ScheduleExpression minute = ScheduleExpression.parse("rate(1 minute)", utc);
        ScheduleExpression fiveMinutes = ScheduleExpression.parse("rate(5 minutes)", utc);
        ScheduleExpression nightly = ScheduleExpression.parse("cron(0 3 * * ? *)", utc);
        LocalCloudOptions defaults = CommandLine.cloudOptions(new String[0], Map.of(), System.out);
        assertEquals(null, defaults.scheduleInterval());
        assertEquals(Duration.ofSeconds(5), defaults.intervalFor(minute), "scheduled starts at most a few seconds late");
        assertEquals(null, defaults.intervalFor(fiveMinutes), "any other expression is followed as written");
        assertEquals(null, defaults.intervalFor(nightly));

        LocalCloudOptions every3 = CommandLine.cloudOptions(new String[] {"--schedule-interval", "3"}, Map.of(), System.out);
        assertEquals(Duration.ofSeconds(3), every3.intervalFor(minute));
        assertEquals(Duration.ofSeconds(3), every3.intervalFor(nightly));
        LocalCloudOptions asOnAws = CommandLine.cloudOptions(new String[] {"--schedule-interval", "60"}, Map.of(), System.out);
        assertEquals(Duration.ofMinutes(1), asOnAws.intervalFor(minute), "the minute as on AWS, when asked");

        // the repository's template, started with the defaults: the sweeper's line says how often it fires
        assertTrue(TestClouds.longhaul().eventSources().contains("schedule rate(1 minute) (every 5 s locally for"
                + " rate(1 minute), so scheduled starts are at most a few seconds late; --schedule-interval to change)"
                + " -> SweeperFunction.EveryMinute"), String.join("\n", TestClouds.longhaul().eventSources()));
    }

    @Test
    void iamIsEnforcedUnlessTurnedOff() {
        LocalCloudOptions options = CommandLine.cloudOptions(new String[] {"--port", "0"}, Map.of(), System.out);
        assertTrue(options.iam(), "IAM is enforced unless asked not to be");
        assertFalse(CommandLine.cloudOptions(new String[] {"--no-iam", "--port", "0"}, Map.of(), System.out).iam());
        assertTrue(CommandLine.USAGE.contains("--no-iam"), CommandLine.USAGE);
    }

    @Test
    void tokenNeedsASubject() {
        assertTrue(tokenRefusal("token").startsWith("token needs a SUBJECT"));
        assertTrue(tokenRefusal("token", "--hours", "2").startsWith("token needs a SUBJECT"));
    }

    @Test
    void helpAndVersionPrintAndSucceed() {
        for (String help : List.of("help", "--help", "-h")) {
            Output output = run(help);
            assertEquals(0, output.status());
            assertTrue(output.out().startsWith("Usage:"), output.out());
            assertTrue(output.out().contains("--verbose"));
        }
        for (String version : List.of("--version", "version")) {
            Output output = run(version);
            assertEquals(0, output.status());
            assertTrue(output.out().matches("longhaul-local \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), output.out());
        }
    }

    record Output(int status, String out) {
    }

    private static Output run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = CommandLine.run(args, out, out, Map.of());
        return new Output(status, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theExpectedDifferencesFromAwsAreOneLineUnlessVerbose() {
        List<String> notes = new ArrayList<>(TestClouds.longhaul().notes());
        notes.add(LocalCloud.DEVELOPMENT_SECRET_NOTE + " 'x' (development only)");
        notes.add("SomeFunction.Events.Topic (SNS) is not emulated: the local cloud runs HttpApi, SQS...");
        long expected = notes.stream().filter(StartupNotes::isExpectedDifference).count();
        assertTrue(expected > 40, "the template's expected differences: " + expected);

        String brief = print(notes, false);
        List<String> lines = brief.lines().toList();
        assertEquals(List.of("  ! SomeFunction.Events.Topic (SNS) is not emulated: the local cloud runs HttpApi, SQS...",
                "  " + expected + " template features are not applied locally (SnapStart, log groups, encryption,"
                        + " alarms...): --verbose lists them"), lines);

        String verbose = print(notes, true);
        assertEquals(expected + 1, verbose.lines().count(), verbose);
        assertTrue(verbose.contains("WorkerFunction.Events.Work (SQS): ScalingConfig not honoured locally"), verbose);
        assertFalse(verbose.contains("Policies not applied"), "IAM policies are applied: each call is checked");
        assertTrue(verbose.contains("SecretsKey: KeyPolicy not applied locally"), verbose);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StartupNotes.printWarnings(notes, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String warning = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("* WARNING: the JWT secret is the development default 'longhaul-local-dev-secret'"), warning);
        assertFalse(brief.contains("JWT secret"), "the warning is printed apart, not as a note");
    }

    private static String print(List<String> notes, boolean verbose) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StartupNotes.print(notes, verbose, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
