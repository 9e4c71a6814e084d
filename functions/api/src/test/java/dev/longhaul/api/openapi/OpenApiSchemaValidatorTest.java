package dev.longhaul.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conformance checker is only as strict as its validator: each keyword rejects what it should. */
class OpenApiSchemaValidatorTest {
    private static final OpenApiDocument DOCUMENT = OpenApiDocument.parse("""
            openapi: 3.1.0
            components:
              schemas:
                Thing:
                  type: object
                  additionalProperties: false
                  required: [id, when]
                  properties:
                    id: {type: string, pattern: "^[a-z]{3}$"}
                    when: {type: string, format: date-time}
                    size: {type: [integer, "null"], minimum: 0, maximum: 10}
                    kind: {enum: [a, b]}
                    fixed: {const: 7}
                    tags: {type: array, items: {type: string, maxLength: 2}, minItems: 1}
                    link: {type: string, format: uri}
                Either:
                  oneOf:
                    - {type: object, required: [a], properties: {a: {type: integer}}}
                    - {type: object, required: [b], properties: {b: {type: integer}}}
                Both:
                  allOf:
                    - $ref: "#/components/schemas/Thing"
                    - required: [size]
                Any:
                  anyOf: [{type: string}, {type: boolean}]
                Odd:
                  type: string
                  contentEncoding: base64
            """);
    private static final OpenApiSchemaValidator VALIDATOR = DOCUMENT.validator();

    private static Object ref(String name) {
        return Map.of("$ref", "#/components/schemas/" + name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00.123Z\"}",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00+02:00\",\"size\":null,\"kind\":\"b\",\"fixed\":7.0}",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"size\":10,\"tags\":[\"x\"],\"link\":\"https://a.example/b?c=d\"}",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"size\":2.0}",
        "Either|{\"a\":1}",
        "Both|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"size\":1}",
        "Any|true",
    })
    void accepts(String schema, String json) {
        assertEquals(List.of(), VALIDATOR.validate(ref(schema), Json.parse(json)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Thing|{\"when\":\"2026-11-25T08:00:00Z\"}|required member 'id'",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"extra\":1}|'extra' is not allowed",
        "Thing|{\"id\":\"abcd\",\"when\":\"2026-11-25T08:00:00Z\"}|does not match",
        "Thing|{\"id\":\"abc\",\"when\":\"yesterday\"}|not a date-time",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"size\":11}|more than 10",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"size\":-1}|less than 0",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"size\":1.5}|not of type",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"size\":\"1\"}|not of type",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"kind\":\"c\"}|not one of",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"fixed\":8}|is not 7",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"tags\":[]}|fewer than 1",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"tags\":[\"xyz\"]}|$.tags[0]: longer than 2",
        "Thing|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\",\"link\":\"/relative\"}|not an absolute URI",
        "Thing|[]|not of type",
        "Either|{\"a\":1,\"b\":2}|matches 2 oneOf branches",
        "Either|{\"c\":1}|matches no oneOf branch",
        "Both|{\"id\":\"abc\",\"when\":\"2026-11-25T08:00:00Z\"}|required member 'size'",
        "Any|1|matches no anyOf branch",
    })
    void rejects(String schema, String json, String expected) {
        List<String> errors = VALIDATOR.validate(ref(schema), Json.parse(json));
        assertFalse(errors.isEmpty(), "accepted " + json);
        assertTrue(errors.stream().anyMatch(e -> e.contains(expected)), errors.toString());
    }

    @Test
    void refusesKeywordsItDoesNotCheck() {
        assertThrows(IllegalStateException.class, () -> VALIDATOR.validate(ref("Odd"), "aGk="));
        assertThrows(IllegalStateException.class, () -> VALIDATOR.requireSupportedKeywords(ref("Odd"), "Odd"));
        assertThrows(IllegalStateException.class, () -> VALIDATOR.validate(ref("Missing"), "x"));
    }

    @Test
    void numbersCompareByValue() {
        assertTrue(OpenApiSchemaValidator.jsonEquals(7L, new java.math.BigDecimal("7.0")));
        assertTrue(OpenApiSchemaValidator.jsonEquals(Map.of("a", List.of(1)), Json.parse("{\"a\":[1]}")));
        assertFalse(OpenApiSchemaValidator.jsonEquals("1", 1L));
    }
}
