package dev.longhaul.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.api.ApiConfig;
import dev.longhaul.api.ApiHandler;
import dev.longhaul.api.ApiInvoker;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbSecretKeys;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.job.Parameter;
import dev.longhaul.core.job.Parameters;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.SampleEvents;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The schemas {@code GET /v1/task-types} publishes agree with what {@code POST /v1/tasks} accepts,
 * shown the way a client meets them: parameter objects generated from each published schema (values
 * anywhere within the bounds, every enum option, optional members present or not) are created with
 * {@code 202} and the defaults the schema names; the same objects broken in one place (out of range,
 * of the wrong type, too long, off the enum or the pattern, an unknown member, a required one
 * missing) are refused with {@code 400} naming exactly that field, and nothing is stored (every
 * way for every type, and random ones besides, shrunk to the smallest on failure). An
 * independent JSON Schema validator (the one the OpenAPI conformance tests use) agrees with each
 * verdict, so the generator cannot drift from the schemas either.
 *
 * <p>The handler runs on the emulators with the built-in types plus one test type that uses every
 * kind of rule (boolean and pattern included, which the built-ins do not).
 */
class TaskTypeSchemaPropertyTest {
    /** The schema keywords a property may use; the generator must be taught any other before the model grows it. */
    private static final Set<String> KNOWN_KEYWORDS = Set.of(
            "type", "description", "minimum", "maximum", "maxLength", "pattern", "examples", "enum", "default",
            "minItems", "maxItems", "items");

    private static ApiInvoker api;
    private static OpenApiSchemaValidator oracle;
    /** Type name to its published parameters schema, as listed. */
    private static Map<String, Map<String, Object>> schemas;

    @BeforeContainer
    static void start() {
        TestCloud cloud = TestCloud.get();
        AwsClients clients = cloud.clients();
        ApiConfig config = ApiConfig.from(Environment.of(cloud.environment("ApiFunction")));
        JobRegistry jobs = JobRegistry.builtIn(true).register(new EveryRuleJob());
        api = new ApiInvoker(new ApiHandler(config, new DynamoDbTaskStore(clients.dynamoDb(), config.tableName()),
                new SqsWorkQueue(clients.sqs(), config.queueUrl()),
                new S3ResultStore(clients.s3(), clients.presigner(), config.bucket()),
                new DynamoDbSecretKeys(clients.dynamoDb(), config.tableName(), cloud.envelope()), jobs, Clock.systemUTC()));
        oracle = OpenApiDocument.load().validator();

        ApiInvoker.Response listed = api.invoke(SampleEvents.load("api-list-task-types.json"));
        assertEquals(200, listed.status(), listed.body());
        schemas = new LinkedHashMap<>();
        for (Object entry : listed.json().list("types")) {
            Map<String, Object> type = OpenApiDocument.map(entry);
            schemas.put((String) type.get("type"), OpenApiDocument.map(type.get("parameters")));
        }
        assertEquals(List.of("demo.sleep", "demo.fail", "report.stock", "batch", EveryRuleJob.TYPE),
                List.copyOf(schemas.keySet()));
    }

    /** A create's type and parameters. */
    record Create(String type, Map<String, Object> parameters) {
    }

    /** A create broken in one place: {@code field} is the one it must be refused for. */
    record Broken(String type, Map<String, Object> parameters, String field, String how) {
    }

    @Property(tries = 100)
    void parametersValidAgainstTheirSchemaAreCreatedWithTheSchemasDefaults(@ForAll("validCreates") Create create) {
        Map<String, Object> schema = schemas.get(create.type());
        assertEquals(List.of(), oracle.validate(assertable(schema), create.parameters()), "the generator made a valid object");

        ApiInvoker.Response response = api.invoke(createEvent(owner(), create.type(), create.parameters()));

        assertEquals(202, response.status(), create + " -> " + response.body());
        Map<String, Object> expected = new LinkedHashMap<>();
        properties(schema).forEach((name, property) -> {
            Object given = create.parameters().get(name);
            Object value = given != null ? given : OpenApiDocument.map(property).get("default");
            if (value != null) {
                expected.put(name, value instanceof BigDecimal d ? d.longValueExact() : value);
            }
        });
        Object stored = response.json().map().get("parameters");
        assertTrue(OpenApiSchemaValidator.jsonEquals(expected, stored), "expected " + expected + ", got " + stored);
        Statistics.label("type").collect(create.type());
        Statistics.label("type").coverage(checker -> schemas.keySet().forEach(type -> checker.check(type).count(n -> n > 0)));
    }

    @Property(tries = 100)
    void parametersBrokenInOnePlaceAreRefusedNamingThatFieldAndNothingIsStored(@ForAll("brokenCreates") Broken broken) {
        assertRefused(broken);
        Statistics.label("how").collect(broken.how());
        Statistics.label("type").collect(broken.type());
    }

    /** Every way of breaking every type, twice each: the random tries above need not draw each one. */
    @Example
    void everyWayOfBreakingEachTypeIsRefused() {
        int ways = 0;
        for (Map.Entry<String, Map<String, Object>> type : schemas.entrySet()) {
            for (Arbitrary<Broken> way : ways(type.getKey(), type.getValue())) {
                way.sampleStream().limit(2).forEach(TaskTypeSchemaPropertyTest::assertRefused);
                ways++;
            }
        }
        assertTrue(ways >= 30, "ways tried: " + ways);
    }

    private static void assertRefused(Broken broken) {
        Map<String, Object> schema = schemas.get(broken.type());
        assertTrue(!oracle.isValid(assertable(schema), broken.parameters()), "the generator broke the object: " + broken);
        String owner = owner();

        ApiInvoker.Response response = api.invoke(createEvent(owner, broken.type(), broken.parameters()));

        assertEquals(400, response.status(), broken + " -> " + response.body());
        assertEquals("invalid-request", response.json().string("code"));
        List<Object> fields = response.json().list("errors").stream().map(e -> OpenApiDocument.map(e).get("field")).toList();
        assertEquals(List.of(broken.field()), fields, broken + " -> " + response.body());
        Map<String, Object> list = SampleEvents.load("api-list-tasks.json");
        list.remove("queryStringParameters");
        ApiInvoker.Response listed = api.invoke(asOwner(list, owner));
        assertEquals(200, listed.status());
        assertEquals(List.of(), listed.json().list("tasks"), "a refused create stores nothing");
    }

    @Provide
    Arbitrary<Create> validCreates() {
        return Arbitraries.of(List.copyOf(schemas.keySet()))
                .flatMap(type -> validObject(schemas.get(type)).map(parameters -> new Create(type, parameters)));
    }

    /** Each way of breaking each type equally likely. */
    @Provide
    Arbitrary<Broken> brokenCreates() {
        List<Arbitrary<Broken>> all = new ArrayList<>();
        schemas.forEach((type, schema) -> all.addAll(ways(type, schema)));
        return Arbitraries.oneOf(all);
    }

    // --- generating from a schema

    private static Arbitrary<Map<String, Object>> validObject(Map<String, Object> schema) {
        List<String> required = requiredOf(schema);
        List<String> names = new ArrayList<>();
        List<Arbitrary<Optional<Object>>> members = new ArrayList<>();
        properties(schema).forEach((name, property) -> {
            Arbitrary<Optional<Object>> present = valid(OpenApiDocument.map(property)).map(Optional::of);
            names.add(name);
            members.add(required.contains(name) ? present : Arbitraries.oneOf(present, Arbitraries.just(Optional.<Object>empty())));
        });
        return Combinators.combine(members).as(values -> {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                values.get(i).ifPresent(value -> object.put(name, value));
            }
            return object;
        });
    }

    /** Any value the property allows: integers anywhere in range (also spelled {@code 5.0}), each option, strings of any code points. */
    private static Arbitrary<Object> valid(Map<String, Object> property) {
        if (!KNOWN_KEYWORDS.containsAll(property.keySet())) {
            throw new IllegalStateException("teach the generator these keywords: " + property.keySet());
        }
        if (property.get("enum") instanceof List<?> options) {
            return Arbitraries.of(new ArrayList<Object>(options));
        }
        switch ((String) property.get("type")) {
            case "integer":
                return Arbitraries.longs().between(bound(property, "minimum"), bound(property, "maximum"))
                        .flatMap(n -> Arbitraries.<Object>of(n, BigDecimal.valueOf(n).setScale(1)));
            case "boolean":
                return Arbitraries.of(true, false);
            case "array":
                return tasks(property);
            case "string":
                if (property.containsKey("pattern")) {
                    return Arbitraries.of(new ArrayList<Object>((List<?>) property.get("examples")));
                }
                int max = bound(property, "maxLength").intValue();
                return Arbitraries.oneOf(text(0, max), text(max, max)).map(s -> (Object) s);
            default:
                throw new IllegalStateException("teach the generator this type: " + property);
        }
    }

    /**
     * A {@code batch}'s tasks: 1 to 3 entries (the create validates every one, whatever the
     * count), each one of the item schema's branches with every parameter given, so that what is
     * stored is what was sent.
     */
    private static Arbitrary<Object> tasks(Map<String, Object> property) {
        List<Arbitrary<Object>> entries = new ArrayList<>();
        for (Object b : (List<?>) OpenApiDocument.map(property.get("items")).get("oneOf")) {
            Map<String, Object> branch = OpenApiDocument.map(b);
            Map<String, Object> members = properties(branch);
            Object type = OpenApiDocument.map(members.get("type")).get("const");
            Map<String, Object> parameters = OpenApiDocument.map(members.get("parameters"));
            List<String> names = new ArrayList<>(properties(parameters).keySet());
            List<Arbitrary<Object>> values = new ArrayList<>();
            names.forEach(name -> values.add(valid(OpenApiDocument.map(properties(parameters).get(name)))));
            entries.add(Combinators.combine(values).as(given -> {
                Map<String, Object> p = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    p.put(names.get(i), given.get(i));
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("type", type);
                entry.put("parameters", p);
                return (Object) entry;
            }));
        }
        int most = Math.min(3, bound(property, "maxItems").intValue());
        return Arbitraries.oneOf(entries).list().ofMinSize(bound(property, "minItems").intValue()).ofMaxSize(most)
                .map(list -> (Object) list);
    }

    /** Every way a valid object of the schema can be broken in one place. */
    private static List<Arbitrary<Broken>> ways(String type, Map<String, Object> schema) {
        List<Arbitrary<Broken>> ways = new ArrayList<>();
        Map<String, Object> properties = properties(schema);
        properties.forEach((name, p) -> {
            Map<String, Object> property = OpenApiDocument.map(p);
            ways.add(replaced(type, schema, name, "wrong type", wrongType(property)));
            if ("integer".equals(property.get("type"))) {
                BigInteger below = BigInteger.valueOf(bound(property, "minimum")).subtract(BigInteger.ONE);
                BigInteger above = BigInteger.valueOf(bound(property, "maximum")).add(BigInteger.ONE);
                ways.add(replaced(type, schema, name, "below minimum",
                        Arbitraries.bigIntegers().between(below.subtract(BigInteger.TEN.pow(20)), below).map(TaskTypeSchemaPropertyTest::number)));
                ways.add(replaced(type, schema, name, "above maximum",
                        Arbitraries.bigIntegers().between(above, above.add(BigInteger.TEN.pow(20))).map(TaskTypeSchemaPropertyTest::number)));
                ways.add(replaced(type, schema, name, "not whole",
                        Arbitraries.longs().between(-1000, 1000).map(n -> (Object) BigDecimal.valueOf(n).add(new BigDecimal("0.5")))));
            }
            if (property.get("enum") instanceof List<?> options) {
                ways.add(replaced(type, schema, name, "off the enum",
                        text(0, 10).filter(s -> !options.contains(s)).map(s -> (Object) s)));
            } else if ("string".equals(property.get("type"))) {
                int max = bound(property, "maxLength").intValue();
                ways.add(replaced(type, schema, name, "too long", text(max + 1, max + 20).map(s -> (Object) s)));
                if (property.get("pattern") instanceof String regex) {
                    Pattern pattern = Pattern.compile(regex);
                    ways.add(replaced(type, schema, name, "off the pattern",
                            text(0, max).filter(s -> !pattern.matcher(s).find()).map(s -> (Object) s)));
                }
            }
        });
        ways.add(Combinators.combine(validObject(schema),
                        Arbitraries.strings().alpha().numeric().withChars('_', '.', '-').ofMinLength(1).ofMaxLength(16)
                                .filter(name -> !properties.containsKey(name)),
                        anyJson())
                .as((object, name, value) -> {
                    Map<String, Object> more = new LinkedHashMap<>(object);
                    more.put(name, value);
                    return new Broken(type, more, "parameters." + name, "unknown member");
                }));
        List<String> required = requiredOf(schema);
        if (!required.isEmpty()) {
            ways.add(Combinators.combine(validObject(schema), Arbitraries.of(required)).as((object, name) -> {
                Map<String, Object> less = new LinkedHashMap<>(object);
                less.remove(name);
                return new Broken(type, less, "parameters." + name, "required missing");
            }));
        }
        return ways;
    }

    private static Arbitrary<Broken> replaced(String type, Map<String, Object> schema, String name, String how,
                                              Arbitrary<Object> badValues) {
        return Combinators.combine(validObject(schema), badValues).as((object, bad) -> {
            Map<String, Object> changed = new LinkedHashMap<>(object);
            changed.put(name, bad);
            return new Broken(type, changed, "parameters." + name, how);
        });
    }

    /** Values of every JSON type but the property's (null included: an explicit null is not a default). */
    private static Arbitrary<Object> wrongType(Map<String, Object> property) {
        List<Arbitrary<Object>> others = new ArrayList<>();
        others.add(Arbitraries.<Object>just(null));
        others.add(Arbitraries.just(List.of()));
        others.add(Arbitraries.just(Map.of("value", 1L)));
        switch ((String) property.get("type")) {
            case "integer":
                others.add(Arbitraries.longs().map(n -> (Object) String.valueOf(n)));
                others.add(Arbitraries.of(true, false));
                break;
            case "boolean":
                others.add(Arbitraries.of("true", "false", 1L, 0L));
                break;
            default:
                others.add(Arbitraries.longs().map(n -> (Object) n));
                others.add(Arbitraries.of(true, false));
                break;
        }
        return Arbitraries.oneOf(others);
    }

    private static Arbitrary<Object> anyJson() {
        return Arbitraries.oneOf(Arbitraries.<Object>just(null), Arbitraries.of(true, false), Arbitraries.longs().map(n -> (Object) n),
                text(0, 10).map(s -> (Object) s), Arbitraries.just(List.of("x")), Arbitraries.just(Map.of()));
    }

    /**
     * Strings of {@code min} to {@code max} Unicode code points: mostly ASCII, also control
     * characters, the rest of the BMP, and astral characters (two UTF-16 units each, one character
     * to JSON Schema's {@code maxLength}). No lone surrogates: they are not text.
     */
    private static Arbitrary<String> text(int min, int max) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(1, Arbitraries.integers().between(0, 0x1f)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xd7ff)),
                Tuple.of(1, Arbitraries.integers().between(0xe000, 0xffff)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)));
        return codePoint.list().ofMinSize(min).ofMaxSize(max).map(points -> {
            StringBuilder text = new StringBuilder();
            points.forEach(text::appendCodePoint);
            return text.toString();
        });
    }

    // --- reading the schema and making requests

    /** The schema as the oracle takes it: {@code $schema} names the dialect, which the oracle knows already. */
    private static Map<String, Object> assertable(Map<String, Object> schema) {
        Map<String, Object> copy = new LinkedHashMap<>(schema);
        assertEquals("https://json-schema.org/draft/2020-12/schema", copy.remove("$schema"));
        return copy;
    }

    private static Map<String, Object> properties(Map<String, Object> schema) {
        return OpenApiDocument.map(schema.get("properties"));
    }

    private static List<String> requiredOf(Map<String, Object> schema) {
        return ((List<?>) schema.get("required")).stream().map(String::valueOf).toList();
    }

    private static Long bound(Map<String, Object> property, String keyword) {
        return ((Number) property.get(keyword)).longValue();
    }

    private static Object number(BigInteger n) {
        return n.bitLength() < 64 ? (Object) n.longValue() : n;
    }

    private static String owner() {
        return "schema-property-" + UUID.randomUUID();
    }

    private static Map<String, Object> createEvent(String owner, String type, Map<String, Object> parameters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("parameters", parameters);
        return asOwner(SampleEvents.withBody("api-create-task.json", Json.write(body)), owner);
    }

    private static Map<String, Object> asOwner(Map<String, Object> event, String owner) {
        Map<String, Object> context = OpenApiDocument.map(event.get("requestContext"));
        Map<String, Object> jwt = OpenApiDocument.map(OpenApiDocument.map(context.get("authorizer")).get("jwt"));
        OpenApiDocument.map(jwt.get("claims")).put("sub", owner);
        return event;
    }

    /** A type with one parameter of every kind of rule, the two the built-ins lack included. */
    static final class EveryRuleJob implements Job {
        static final String TYPE = "test.every-rule";
        private static final Parameters PARAMETERS = Parameters.of(
                Parameter.integer("count", -1000, 1000).describedAs("Any count."),
                Parameter.string("label", 40).withDefault("none"),
                Parameter.string("code", 12).matching("^[A-Z]{3}-[0-9]{2}$", "ABC-12"),
                Parameter.bool("verbose").withDefault(false),
                Parameter.oneOf("level", "low", "mid", "high"));

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "Every kind of parameter rule.";
        }

        @Override
        public Parameters parameters() {
            return PARAMETERS;
        }

        @Override
        public String contentType(Map<String, Object> parameters) {
            return "application/json";
        }

        @Override
        public void run(Map<String, Object> parameters, JobContext context) {
            throw new UnsupportedOperationException("only created here, never run");
        }
    }
}
