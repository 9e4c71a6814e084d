package dev.longhaul.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KEY=VALUE typing: by a task type's parameter schema, and by the value's form without one. */
class ParameterTypingTest {
    /** A schema shaped like those GET /v1/task-types publishes (JSON Schema 2020-12 object schemas). */
    private static final String SCHEMA = """
            {"type": "object", "additionalProperties": false, "required": ["rows"],
             "properties": {
               "rows": {"type": "integer", "minimum": 1, "maximum": 10000000},
               "ratio": {"type": "number"},
               "format": {"type": "string", "enum": ["csv", "json"], "default": "csv"},
               "code": {"type": "string"},
               "dryRun": {"type": "boolean", "default": false},
               "stores": {"type": "array", "items": {"type": "integer"}},
               "tags": {"type": "array", "items": {"type": "string"}},
               "filter": {"type": "object"},
               "limit": {"type": ["integer", "null"]},
               "level": {"enum": [1, 2, "max"]}
             }}""";

    private final ParameterTyping typing = ParameterTyping.bySchema(json(SCHEMA));

    @Test
    void valuesAreTypedByTheirProperty() {
        assertEquals(100000L, typing.value("rows", "100000"));
        assertEquals(new BigInteger("123456789012345678901234567890"), typing.value("rows", "123456789012345678901234567890"));
        assertEquals(new BigDecimal("0.25"), typing.value("ratio", "0.25"));
        assertEquals(3L, typing.value("ratio", "3"));
        assertEquals("csv", typing.value("format", "csv"));
        assertEquals("007", typing.value("code", "007"), "a string property keeps what looks like a number");
        assertEquals("true", typing.value("code", "true"));
        assertEquals(Boolean.TRUE, typing.value("dryRun", "true"));
        assertEquals(List.of(1L, 2L, 3L), typing.value("stores", "1,2,3"));
        assertEquals(json("[4,5]"), typing.value("stores", "[4,5]"));
        assertEquals(List.of("a", "1"), typing.value("tags", "a,1"));
        assertEquals(List.of(), typing.value("tags", ""));
        assertEquals(json("{\"store\":\"S-1\"}"), typing.value("filter", "{\"store\":\"S-1\"}"));
        assertEquals(NullNode.getInstance(), typing.value("limit", "null"));
        assertEquals(5L, typing.value("limit", "5"));
        assertEquals(json("2"), typing.value("level", "2"), "an enum alone gives the option's own JSON type");
        assertEquals(json("\"max\""), typing.value("level", "max"));
    }

    @Test
    void aValueThatDoesNotFitItsPropertyIsRefusedNamingIt() {
        assertMessage("rows must be an integer, not 'many'", () -> typing.value("rows", "many"));
        assertMessage("rows must be an integer, not '1.5'", () -> typing.value("rows", "1.5"));
        assertMessage("ratio must be a number, not 'half'", () -> typing.value("ratio", "half"));
        assertMessage("dryRun must be true or false, not 'yes'", () -> typing.value("dryRun", "yes"));
        assertMessage("format must be one of csv, json, not 'pdf'", () -> typing.value("format", "pdf"));
        assertMessage("stores[] must be an integer, not 'x'", () -> typing.value("stores", "1,x"));
        assertMessage("filter must be a JSON object, not '[1]'", () -> typing.value("filter", "[1]"));
        assertMessage("level must be one of 1, 2, max, not '3'", () -> typing.value("level", "3"));
    }

    @Test
    void aNameTheSchemaDoesNotHaveIsTypedByForm() {
        assertEquals(7L, typing.value("unknown", "7"));
        assertEquals("seven", typing.value("unknown", "seven"));
    }

    @Test
    void withoutASchemaValuesAreTypedByTheirForm() {
        ParameterTyping byForm = ParameterTyping.byForm();
        assertEquals(42L, byForm.value("n", "42"));
        assertEquals(-3L, byForm.value("n", "-3"));
        assertEquals(new BigDecimal("2.5"), byForm.value("n", "2.5"));
        assertEquals(new BigDecimal("1e3"), byForm.value("n", "1e3"));
        assertEquals(Boolean.FALSE, byForm.value("b", "false"));
        assertEquals(json("{\"a\":[1,true]}"), byForm.value("o", "{\"a\":[1,true]}"));
        assertEquals(json("[1,\"x\"]"), byForm.value("a", "[1,\"x\"]"));
        assertEquals("{not json", byForm.value("s", "{not json"));
        assertEquals("True", byForm.value("s", "True"));
        assertEquals("csv", byForm.value("s", "csv"));
        assertEquals("", byForm.value("s", ""));
        assertEquals("1,2", byForm.value("s", "1,2"));
        // a schema without properties types by form as well
        assertEquals(42L, ParameterTyping.bySchema(json("{\"type\":\"object\"}")).value("n", "42"));
        assertEquals(42L, ParameterTyping.bySchema(null).value("n", "42"));
    }

    @Test
    void typedValuesSerialiseAsTheJsonTheApiExpects() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rows", typing.value("rows", "100"));
        parameters.put("ratio", typing.value("ratio", "0.5"));
        parameters.put("stores", typing.value("stores", "1,2"));
        parameters.put("dryRun", typing.value("dryRun", "true"));
        parameters.put("filter", typing.value("filter", "{\"a\":1}"));
        parameters.put("code", typing.value("code", "007"));
        parameters.put("limit", typing.value("limit", "null"));
        assertEquals("{\"rows\":100,\"ratio\":0.5,\"stores\":[1,2],\"dryRun\":true,\"filter\":{\"a\":1},"
                + "\"code\":\"007\",\"limit\":null}", Output.json(parameters));
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable executable) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
        assertEquals(message, e.getMessage());
    }

    private static JsonNode json(String text) {
        try {
            return Output.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
