package dev.longhaul.core.job.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.job.InvalidParametersException;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parameter validation of the built-in jobs, fed the way the API feeds it: parsed JSON. */
class JobParametersTest {
    private final Job sleep = new SleepJob();
    private final Job stock = new StockReportJob();
    private final Job fail = new FailJob();

    private static Map<String, Object> validate(Job job, String json) {
        return job.parameters().validate(Json.parseObject(json));
    }

    private static List<String> rejectedFields(Job job, String json) {
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> validate(job, json));
        return e.errors().stream().map(FieldError::field).collect(Collectors.toList());
    }

    @Test
    void builtInRegistryHasTheFourTypes() {
        assertEquals(List.of("demo.sleep", "demo.fail", "report.stock", "batch"), List.copyOf(JobRegistry.builtIn().types()));
        assertTrue(JobRegistry.builtIn().find("nope").isEmpty());
        assertTrue(JobRegistry.builtIn().find(null).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> JobRegistry.builtIn().register(new SleepJob()));
    }

    @Test
    void demoTypesAreLeftOutUnlessTheDeploymentAsksForThem() {
        assertEquals(List.of("report.stock", "batch"), List.copyOf(JobRegistry.builtIn(false).types()));
        assertTrue(JobRegistry.builtIn(false).find("demo.sleep").isEmpty());
        assertEquals(List.of("demo.sleep", "demo.fail", "report.stock", "batch"),
                List.copyOf(JobRegistry.builtIn(true).types()));
        assertEquals(false, JobRegistry.demoJobsEnabled(Environment.of(Map.of())), "off when unset");
        assertEquals(false, JobRegistry.demoJobsEnabled(Environment.of(Map.of("ENABLE_DEMO_JOBS", "false"))));
        assertEquals(true, JobRegistry.demoJobsEnabled(Environment.of(Map.of("ENABLE_DEMO_JOBS", "true"))));
        assertThrows(IllegalStateException.class,
                () -> JobRegistry.demoJobsEnabled(Environment.of(Map.of("ENABLE_DEMO_JOBS", "yes"))));
    }

    @Test
    void sleepDeclaresHowLongItTakes() {
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(3)),
                sleep.expectedDuration(validate(sleep, "{\"seconds\":3}")));
    }

    @Test
    void sleepFillsInDefaultSteps() {
        assertEquals(Map.of("seconds", 5L, "steps", 10L), validate(sleep, "{\"seconds\":5}"));
        assertEquals(Map.of("seconds", 0L, "steps", 1L), validate(sleep, "{\"seconds\":0,\"steps\":1}"));
        assertEquals(Map.of("seconds", 900L, "steps", 100L), validate(sleep, "{\"seconds\":900,\"steps\":100}"));
    }

    @Test
    void sleepRequiresSeconds() {
        assertEquals(List.of("parameters.seconds"), rejectedFields(sleep, "{}"));
        assertEquals(List.of("parameters.seconds"), rejectedFields(sleep, "{\"seconds\":null}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "901", "1.5", "\"5\"", "true", "[5]", "{}", "1e3", "99999999999999999999",
        "-99999999999999999999", "1e400", "9223372036854775808"})
    void sleepRejectsBadSeconds(String seconds) {
        assertEquals(List.of("parameters.seconds"), rejectedFields(sleep, "{\"seconds\":" + seconds + "}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "2.5", "\"10\""})
    void sleepRejectsBadSteps(String steps) {
        assertEquals(List.of("parameters.steps"), rejectedFields(sleep, "{\"seconds\":1,\"steps\":" + steps + "}"));
    }

    @ParameterizedTest
    @CsvSource({"1.0,1", "5.000,5", "1E+2,100", "0.0,0", "-0.0,0"})
    void exactIntegersWrittenAsDecimalsAreAccepted(String literal, long expected) {
        assertEquals(expected, validate(sleep, "{\"seconds\":" + literal + "}").get("seconds"));
    }

    @Test
    void unknownParametersAreNamedAlongsideOtherErrors() {
        List<String> fields = rejectedFields(sleep, "{\"seconds\":-1,\"steps\":0,\"speed\":2,\"colour\":null}");
        assertEquals(List.of("parameters.seconds", "parameters.steps", "parameters.speed", "parameters.colour"),
                fields);
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> validate(sleep, "{\"seconds\":1,\"speed\":2}"));
        assertEquals(new FieldError("parameters.speed", "is not a known parameter"), e.errors().get(0));
    }

    @Test
    void stockFillsInDefaults() {
        assertEquals(Map.of("rows", 10L, "format", "csv", "seed", 0L), validate(stock, "{\"rows\":10}"));
        assertEquals(Map.of("rows", 10_000_000L, "format", "json", "seed", -7L),
                validate(stock, "{\"rows\":10000000,\"format\":\"json\",\"seed\":-7}"));
        assertEquals(Long.MAX_VALUE, validate(stock, "{\"rows\":1,\"seed\":9223372036854775807}").get("seed"));
        assertEquals(Long.MIN_VALUE, validate(stock, "{\"rows\":1,\"seed\":-9223372036854775808}").get("seed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"rows\":0}", "{\"rows\":10000001}", "{\"rows\":-1}", "{\"rows\":\"10\"}",
        "{\"rows\":2.5}", "{\"rows\":1e30}"})
    void stockRejectsBadRows(String json) {
        assertEquals(List.of("parameters.rows"), rejectedFields(stock, json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"xml\"", "\"CSV\"", "\"\"", "1", "null"})
    void stockRejectsBadFormats(String format) {
        // null too: an absent format takes the default, an explicit null is not a format (as the schema says)
        assertEquals(List.of("parameters.format"), rejectedFields(stock, "{\"rows\":1,\"format\":" + format + "}"));
    }

    @Test
    void stockRejectsSeedsBeyondLong() {
        assertEquals(List.of("parameters.seed"), rejectedFields(stock, "{\"rows\":1,\"seed\":9223372036854775808}"));
        assertEquals(List.of("parameters.seed"), rejectedFields(stock, "{\"rows\":1,\"seed\":0.5}"));
    }

    @Test
    void stockContentTypeFollowsFormat() {
        Map<String, Object> csv = validate(stock, "{\"rows\":1}");
        Map<String, Object> json = validate(stock, "{\"rows\":1,\"format\":\"json\"}");
        assertEquals("text/csv; charset=utf-8", stock.contentType(csv));
        assertEquals("csv", stock.fileExtension(csv));
        assertEquals("application/json", stock.contentType(json));
        assertEquals("json", stock.fileExtension(json));
    }

    @Test
    void eachTypeDescribesItselfWithTheContentTypeOfItsDefaults() {
        for (Job job : JobRegistry.builtIn().jobs()) {
            assertTrue(job.description().length() > 20, job.type());
        }
        assertEquals("text/csv; charset=utf-8", stock.defaultContentType());
        assertEquals("application/json", sleep.defaultContentType());
        assertEquals("application/json", fail.defaultContentType());
        assertEquals(List.of(false, false, true, false), JobRegistry.builtIn().jobs().stream().map(Job::resumable).toList());
    }

    @Test
    void failHasADefaultMessage() {
        assertEquals(Map.of("message", "demo failure"), validate(fail, "{}"));
        assertEquals(Map.of("message", "custom"), validate(fail, "{\"message\":\"custom\"}"));
        assertEquals(List.of("parameters.message"), rejectedFields(fail, "{\"message\":5}"));
        assertEquals(List.of("parameters.message"),
                rejectedFields(fail, "{\"message\":\"" + "x".repeat(1001) + "\"}"));
        assertEquals(List.of("parameters.extra"), rejectedFields(fail, "{\"extra\":1}"));
    }

    @Test
    void validatedParametersAreImmutable() {
        Map<String, Object> p = validate(sleep, "{\"seconds\":5}");
        assertThrows(UnsupportedOperationException.class, () -> p.put("seconds", 6L));
    }
}
