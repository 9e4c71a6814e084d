package dev.longhaul.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longhaul.core.json.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule model: what each kind of parameter accepts, and the JSON Schema it publishes for it. */
class ParametersTest {
    private static final Parameters ALL_KINDS = Parameters.of(
            Parameter.integer("count", -5, 5).describedAs("A count."),
            Parameter.string("note", 3).withDefault("n/a"),
            Parameter.bool("loud").withDefault(false),
            Parameter.oneOf("size", "s", "m", "l").withDefault("m"),
            Parameter.string("sku", 20).matching("^SKU-[0-9]{3}$", "SKU-001"));

    private static List<FieldError> errors(Parameters parameters, String json) {
        return assertThrows(InvalidParametersException.class,
                () -> parameters.validate(Json.parseObject(json))).errors();
    }

    private static FieldError only(String json) {
        List<FieldError> errors = errors(ALL_KINDS, json);
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    @Test
    void defaultsFillInAndIntegersBecomeLongs() {
        assertEquals(Map.of("count", 2L, "note", "n/a", "loud", false, "size", "m", "sku", "SKU-123"),
                ALL_KINDS.validate(Json.parseObject("{\"count\":2.0,\"sku\":\"SKU-123\"}")));
        assertEquals(Map.of("count", -5L, "note", "abc", "loud", true, "size", "l", "sku", "SKU-000"),
                ALL_KINDS.validate(Map.of("count", new BigDecimal("-5"), "note", "abc", "loud", true, "size", "l",
                        "sku", "SKU-000")));
        assertEquals(Map.of("note", "n/a", "loud", false, "size", "m"), ALL_KINDS.defaults());
    }

    @Test
    void eachKindNamesWhatIsWrong() {
        assertEquals(new FieldError("parameters.count", "must be between -5 and 5"),
                only("{\"count\":6,\"sku\":\"SKU-001\"}"));
        assertEquals(new FieldError("parameters.count", "must be an integer"), only("{\"count\":0.5,\"sku\":\"SKU-001\"}"));
        assertEquals(new FieldError("parameters.count", "must be an integer"),
                only("{\"count\":99999999999999999999,\"sku\":\"SKU-001\"}"));
        assertEquals(new FieldError("parameters.note", "must be at most 3 characters"),
                only("{\"count\":0,\"sku\":\"SKU-001\",\"note\":\"abcd\"}"));
        assertEquals(new FieldError("parameters.note", "must be a string"), only("{\"count\":0,\"sku\":\"SKU-001\",\"note\":1}"));
        assertEquals(new FieldError("parameters.loud", "must be true or false"),
                only("{\"count\":0,\"sku\":\"SKU-001\",\"loud\":\"true\"}"));
        assertEquals(new FieldError("parameters.size", "must be one of s, m, l"),
                only("{\"count\":0,\"sku\":\"SKU-001\",\"size\":\"xl\"}"));
        assertEquals(new FieldError("parameters.sku", "must match ^SKU-[0-9]{3}$"), only("{\"count\":0,\"sku\":\"SKU-1\"}"));
        assertEquals(new FieldError("parameters.sku", "is required"), only("{\"count\":0}"));
        assertEquals(new FieldError("parameters.other", "is not a known parameter"),
                only("{\"count\":0,\"sku\":\"SKU-001\",\"other\":null}"));
    }

    @Test
    void nullIsNoKindsValueAndAbsentIsNotNull() {
        assertEquals(List.of(new FieldError("parameters.count", "must be an integer"),
                        new FieldError("parameters.note", "must be a string"),
                        new FieldError("parameters.loud", "must be true or false"),
                        new FieldError("parameters.size", "must be one of s, m, l"),
                        new FieldError("parameters.sku", "must be a string")),
                errors(ALL_KINDS, "{\"count\":null,\"note\":null,\"loud\":null,\"size\":null,\"sku\":null}"));
    }

    @Test
    void everyErrorIsListedInDeclarationOrderThenUnknownMembersInTheirs() {
        assertEquals(List.of("parameters.count", "parameters.size", "parameters.sku", "parameters.z", "parameters.a"),
                errors(ALL_KINDS, "{\"z\":1,\"size\":\"x\",\"a\":2}").stream().map(FieldError::field).toList());
    }

    @Test
    void lengthsAreCountedInCodePointsAsJsonSchemaCountsThem() {
        // three astral characters are six UTF-16 units
        String threeEmoji = "\uD83D\uDE00\uD83D\uDE01\uD83D\uDE02";
        assertEquals(threeEmoji, ALL_KINDS.validate(Map.of("count", 0L, "sku", "SKU-001", "note", threeEmoji)).get("note"));
        assertEquals(new FieldError("parameters.note", "must be at most 3 characters"),
                only("{\"count\":0,\"sku\":\"SKU-001\",\"note\":\"" + threeEmoji + "x\"}"));
    }

    @Test
    void aPatternMatchesAnywhereUnlessAnchoredAsInJsonSchema() {
        Parameters unanchored = Parameters.of(Parameter.string("code", 10).matching("[0-9]", "a1"));
        assertEquals(Map.of("code", "xx7yy"), unanchored.validate(Map.of("code", "xx7yy")));
        assertEquals(List.of(new FieldError("parameters.code", "must match [0-9]")),
                errors(unanchored, "{\"code\":\"none\"}"));
    }

    @Test
    void theSchemaIsJsonSchema2020OfTheSameRules() {
        assertEquals(Json.parse("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "properties": {
                   "count": {"type": "integer", "description": "A count.", "minimum": -5, "maximum": 5},
                   "note": {"type": "string", "maxLength": 3, "default": "n/a"},
                   "loud": {"type": "boolean", "default": false},
                   "size": {"type": "string", "enum": ["s", "m", "l"], "default": "m"},
                   "sku": {"type": "string", "maxLength": 20, "pattern": "^SKU-[0-9]{3}$", "examples": ["SKU-001"]}},
                 "required": ["count", "sku"], "additionalProperties": false}
                """), Json.parse(Json.write(ALL_KINDS.jsonSchema())));
        assertEquals(Json.parse("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {},
                 "required": [], "additionalProperties": false}
                """), Json.parse(Json.write(Parameters.none().jsonSchema())));
        assertEquals(Map.of(), Parameters.none().validate(null));
        assertEquals(Map.of(), Parameters.none().validate(Map.of()));
    }

    @Test
    void rulesThatCouldNeverHoldAreRefusedWhenDeclared() {
        assertThrows(IllegalArgumentException.class, () -> Parameter.integer("n", 2, 1));
        assertThrows(IllegalArgumentException.class, () -> Parameter.integer("n", 0, 9).withDefault(10L));
        assertThrows(IllegalArgumentException.class, () -> Parameter.integer("n", 0, 9).withDefault("1"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.string("s", -1));
        assertThrows(IllegalArgumentException.class, () -> Parameter.string("s", 2).withDefault("abc"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.string("s", 9).matching("^a", "b"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.string("s", 9).withDefault("b").matching("^a", "a"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.integer("n", 0, 1).matching("^a", "a"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.oneOf("c"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.oneOf("c", "a", "a"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.oneOf("c", "a").withDefault("b"));
        assertThrows(IllegalArgumentException.class,
                () -> Parameters.of(Parameter.bool("twice"), Parameter.integer("twice", 0, 1)));
        assertThrows(NullPointerException.class, () -> Parameter.bool("b").withDefault(null));
        assertEquals(Map.of("n", 3L), Parameters.of(Parameter.integer("n", 0, 9).withDefault(3))
                .validate(Map.of()));
    }
}
