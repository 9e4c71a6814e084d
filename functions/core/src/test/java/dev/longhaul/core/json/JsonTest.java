package dev.longhaul.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void nestedValuesRoundTripInOrder() {
        String text = "{\"b\":[1,{\"x\":null,\"y\":true,\"z\":false},[]],\"a\":{},\"c\":\"s\",\"d\":-2}";
        Object parsed = Json.parse(text);
        assertEquals(text, Json.write(parsed));
        Map<?, ?> map = assertInstanceOf(Map.class, parsed);
        assertEquals(List.of("b", "a", "c", "d"), List.copyOf(map.keySet()));
    }

    @Test
    void whitespaceAroundTokensIsAllowed() {
        assertEquals(Map.of("a", List.of(1L, 2L)), Json.parse(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n "));
    }

    @Test
    void escapesAreDecoded() {
        assertEquals("\"\\/\b\f\n\r\t", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
        assertEquals("h\u00e9llo", Json.parse("\"h\\u00e9llo\""));
        assertEquals("h\u00e9llo", Json.parse("\"h\\u00E9llo\""));
    }

    @Test
    void surrogatePairsSurviveEscapedAndRaw() {
        String grin = "\uD83D\uDE00";
        assertEquals(grin, Json.parse("\"\\ud83d\\ude00\""));
        assertEquals("a" + grin + "b", Json.parse("\"a" + grin + "b\""));
        String text = "\"\u00e9\u4e2d" + grin + "\"";
        assertEquals(text, Json.write(Json.parse(text)));
    }

    @Test
    void integersFitLongUntilTheyDoNot() {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(new BigInteger("-9223372036854775809"), Json.parse("-9223372036854775809"));
        assertEquals(0L, Json.parse("-0"));
        assertEquals(0L, Json.parse("0"));
    }

    @Test
    void decimalsAndExponentsAreExact() {
        assertEquals(new BigDecimal("3.14"), Json.parse("3.14"));
        assertEquals(new BigDecimal("-0.5"), Json.parse("-0.5"));
        assertEquals(new BigDecimal("1e5"), Json.parse("1e5"));
        assertEquals(new BigDecimal("1.5E-7"), Json.parse("1.5E-7"));
        assertEquals(new BigDecimal("2e+3"), Json.parse("2E+3"));
        assertEquals(new BigDecimal("1.0"), Json.parse("1.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "123456789012345678901234567890", "3.14", "-0.001", "1e5", "1.5E-7",
        "6.02e23", "1E+400"})
    void numbersRoundTrip(String literal) {
        Object parsed = Json.parse(literal);
        assertEquals(parsed, Json.parse(Json.write(parsed)));
        assertEquals(List.of(parsed), Json.parse(Json.write(List.of(parsed))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{\"a\":1} x", "[1] [2]", "1 2", "{\"a\":1,\"a\":2}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}",
        "[", "]", "{", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "[1 2]", "tru", "nul", "True", "nulls",
        "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\U0041\"", "\"\\'\"", "\"\\",
        "\"a\tb\"", "\"a\nb\"", "\"a\u0000b\"", "\"\u001f\"",
        "-", "-a", "--1", "+1", "01", "-01", "00", "[01]", "{\"a\":01}", "1.", ".5", "1.e5", "1e", "1e+", "0x10",
        "NaN", "-NaN", "Infinity", "-Infinity",
        "\"abc", "[\"abc]", "\"abc\\\"", "'abc'"
    })
    void malformedTextIsRejected(String text) {
        assertThrows(JsonException.class, () -> Json.parse(text));
    }

    @Test
    void nullTextIsRejected() {
        assertThrows(JsonException.class, () -> Json.parse(null));
    }

    /** {@code Character.digit} accepts non-ASCII digits such as U+0660 and U+FF10; JSON does not. */
    @ParameterizedTest
    @ValueSource(strings = {"\"\\u\u0660\u0660\u0664\u0661\"", "\"\\u\uFF10\uFF10\uFF14\uFF21\""})
    void unicodeEscapesTakeOnlyAsciiHexDigits(String text) {
        assertThrows(JsonException.class, () -> Json.parse(text));
    }

    /** An exponent beyond int range must be refused as JSON, not escape as NumberFormatException. */
    @ParameterizedTest
    @ValueSource(strings = {"1e99999999999", "1e-99999999999", "{\"rows\":1E2147483648}", "1e1001"})
    void exponentsOutOfRangeAreRejectedAsJson(String text) {
        assertThrows(JsonException.class, () -> Json.parse(text));
    }

    @Test
    void numbersLongerThanTheLimitAreRejected() {
        assertThrows(JsonException.class, () -> Json.parse("1".repeat(101)));
        assertInstanceOf(BigInteger.class, Json.parse("1".repeat(100)));
    }

    @Test
    void sixtyFourLevelsOfNestingAreAllowed() {
        assertEquals(1L, innermost(Json.parse("[".repeat(64) + "1" + "]".repeat(64)), 64));
        Object objects = Json.parse("{\"a\":".repeat(64) + "1" + "}".repeat(64));
        assertInstanceOf(Map.class, objects);
    }

    @Test
    void nestingDeeperThanSixtyFourIsRejected() {
        assertThrows(JsonException.class, () -> Json.parse("[".repeat(65) + "]".repeat(65)));
        assertThrows(JsonException.class, () -> Json.parse("{\"a\":".repeat(65) + "1" + "}".repeat(65)));
        assertThrows(JsonException.class, () -> Json.parse("[".repeat(100_000)));
    }

    @Test
    void parseObjectRefusesOtherValues() {
        assertThrows(JsonException.class, () -> Json.parseObject("[1]"));
        assertThrows(JsonException.class, () -> Json.parseObject("\"{}\""));
        assertThrows(JsonException.class, () -> Json.parseObject("null"));
        assertEquals(Map.of("a", 1L), Json.parseObject("{\"a\":1}"));
    }

    @Test
    void writerEscapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\"", Json.write("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\"", Json.write("\n\r\t"));
        assertEquals("\"\\u0000\\u0001\\b\\f\\u001F\"", Json.write("\u0000\u0001\b\f\u001f"));
        assertEquals("\"\\u2028\\u2029\"", Json.write("\u2028\u2029"));
        // noncharacters an SQS message body may not hold raw
        assertEquals("\"\\uFFFE\\uFFFF\uFFFD\"", Json.write("\uFFFE\uFFFF\uFFFD"));
        assertEquals("\"/\u007f\u00e9\"", Json.write("/\u007f\u00e9"));
    }

    @Test
    void everyCharacterSurvivesWriteThenParse() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < Character.MIN_SURROGATE; c++) {
            all.append(c);
        }
        all.append("\uD83D\uDE00\uFFFD\uFFFE\uFFFF");
        String written = Json.write(all.toString());
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == '\uFFFE' || c == '\uFFFF') {
                throw new AssertionError("unescaped U+" + Integer.toHexString(c) + " at " + i);
            }
        }
        assertEquals(all.toString(), Json.parse(written));
    }

    @Test
    void writerHandlesOtherJavaValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", 1);
        m.put("d", 0.5);
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("at", Instant.parse("2025-01-02T03:04:05.678Z"));
        m.put("list", Arrays.asList(1L, null));
        assertEquals("{\"i\":1,\"d\":0.5,\"nan\":null,\"inf\":null,\"at\":\"2025-01-02T03:04:05.678Z\",\"list\":[1,null]}",
                Json.write(m));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    private static Object innermost(Object value, int levels) {
        Object v = value;
        for (int i = 0; i < levels; i++) {
            v = ((List<?>) v).get(0);
        }
        return v;
    }
}
