package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longhaul.core.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The idempotency fingerprint is taken over the parsed body in a canonical form (RFC 8785 in
 * spirit: sorted keys, one spelling per number, no white space), so the same request written
 * differently is the same request, and any other request is not.
 */
class RequestFingerprintTest {

    private static String of(String json) {
        return RequestFingerprint.of(Json.parse(json));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        {"type":"demo.sleep","parameters":{"seconds":1,"steps":2}} | {"parameters":{"steps":2,"seconds":1},"type":"demo.sleep"}
        {"a":1}                          | { "a" :\t1 }\n
        {"a":1}                          | {"a":1.0}
        {"a":1}                          | {"a":1e0}
        {"a":1}                          | {"a":1.000E+0}
        {"a":1}                          | {"a":10e-1}
        {"a":100}                        | {"a":1e2}
        {"a":0.1}                        | {"a":0.10}
        {"a":0.1}                        | {"a":1E-1}
        {"a":0}                          | {"a":-0}
        {"a":0}                          | {"a":0.0e5}
        {"a":0}                          | {"a":-0.0}
        {"a":-12.5}                      | {"a":-125e-1}
        {"a":123456789012345678901234567890} | {"a":1.23456789012345678901234567890e29}
        {"a":[1,{"y":2,"x":[true,null]}]} | {"a":[1.0,{"x":[true,null],"y":2.0}]}
        {"\\u00e9":"\\u00e9"}              | {"é":"é"}
        {"s":"\\/"}                        | {"s":"/"}
        """)
    void theSameRequestWrittenDifferentlyHasOneFingerprint(String one, String other) {
        assertEquals(of(one), of(other.replace("\\t", "\t").replace("\\n", "\n")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        {"a":1}                          | {"a":2}
        {"a":1}                          | {"a":"1"}
        {"a":true}                       | {"a":"true"}
        {"a":null}                       | {}
        {"a":null}                       | {"a":"null"}
        {"a":[1,2]}                      | {"a":[2,1]}
        {"a":[]}                         | {"a":{}}
        {"a":0.1}                        | {"a":0.1000000000000000000001}
        {"a":123456789012345678901234567890} | {"a":123456789012345678901234567891}
        {"a":9007199254740993}           | {"a":9007199254740992}
        {"a":"x","b":"y"}                | {"a":"x\\",\\"b\\":\\"y"}
        {"a":{"b":1}}                    | {"a.b":1}
        {"ab":1}                         | {"a":1,"b":1}
        {"a":"\\u0000"}                  | {"a":""}
        {"A":1}                          | {"a":1}
        """)
    void anyOtherRequestHasAnotherFingerprint(String one, String other) {
        assertNotEquals(of(one), of(other));
    }

    @Test
    void everyKindOfNumberAJsonParserMayReturnIsNormalized() {
        String one = RequestFingerprint.of(Map.of("n", 1L));
        for (Object n : List.of(1, (short) 1, (byte) 1, 1L, BigInteger.ONE, new BigDecimal("1.000"), new BigDecimal("0.1e1"),
                1.0d, 1.0f)) {
            assertEquals(one, RequestFingerprint.of(Map.of("n", n)), n.getClass().getSimpleName());
        }
        String tenth = RequestFingerprint.of(Map.of("n", new BigDecimal("0.1")));
        assertEquals(tenth, RequestFingerprint.of(Map.of("n", 0.1d)), "a double as its shortest decimal");
        assertEquals(tenth, RequestFingerprint.of(Map.of("n", 0.1f)), "a float as its shortest decimal");
        assertEquals(RequestFingerprint.of(Map.of("n", new BigDecimal("1e400"))),
                RequestFingerprint.of(Map.of("n", new BigInteger("1" + "0".repeat(400)))), "big numbers exactly");
        assertThrows(IllegalArgumentException.class, () -> RequestFingerprint.of(Map.of("n", Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> RequestFingerprint.of(Map.of("n", Double.POSITIVE_INFINITY)));
    }

    @Test
    void mapsAndListsOfAnyImplementationAreTheSame() {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", List.of(1, 2));
        ordered.put("a", Arrays.asList("x", null));
        Map<String, Object> other = new java.util.TreeMap<>();
        other.put("a", new ArrayList<>(Arrays.asList("x", null)));
        other.put("z", List.of(1L, 2L));
        assertEquals(RequestFingerprint.of(ordered), RequestFingerprint.of(other));
    }

    @Test
    void keysAreSortedByUtf16CodeUnitsAsRfc8785Says() {
        // U+1F600 (surrogates D83D DE00) sorts before U+FB01 by code units, after it by code points
        assertEquals(RequestFingerprint.canonical(Json.parse("{\"\\ud83d\\ude00\":1,\"\\ufb01\":2}")),
                RequestFingerprint.canonical(Json.parse("{\"\\ufb01\":2,\"\\ud83d\\ude00\":1}")));
        assertEquals("{\"\ud83d\ude00\":1,\"\ufb01\":2}",
                RequestFingerprint.canonical(Json.parse("{\"\\ufb01\":2,\"\\ud83d\\ude00\":1}")));
    }

    @Test
    void theCanonicalFormIsCompactSortedJson() {
        assertEquals("{\"a\":[1,1.5,-2,100,1e-7,\"\\u0001\\n\\\"\\\\\"],\"b\":{\"c\":null,\"d\":false}}",
                RequestFingerprint.canonical(Json.parse(
                        "{ \"b\": {\"d\": false, \"c\": null}, \"a\": [1.0, 15e-1, -2, 100, 0.0000001, \"\\u0001\\n\\\"\\\\\"] }")));
        assertEquals(64, RequestFingerprint.of(Map.of()).length());
    }

    /** Numbers a double holds are spelled as RFC 8785 (ECMAScript) spells them; bigger ones exactly, alike. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        0                        | 0
        -0.0                     | 0
        1E+21                    | 1e+21
        100000000000000000000    | 100000000000000000000
        123e18                   | 123000000000000000000
        1234e18                  | 1.234e+21
        0.000001                 | 0.000001
        0.0000001                | 1e-7
        -1.5e-7                  | -1.5e-7
        333333333.33333329       | 333333333.33333329
        1e400                    | 1e+400
        -12345678901234567890123456789 | -1.2345678901234567890123456789e+28
        4.50                     | 4.5
        """)
    void numbersAreSpelledTheEcmaScriptWay(String number, String canonical) {
        assertEquals(canonical, RequestFingerprint.canonical(Json.parse(number)));
    }

    @Test
    void loneSurrogatesStayDistinct() {
        assertNotEquals(of("{\"a\":\"\\ud800\"}"), of("{\"a\":\"?\"}"));
        assertNotEquals(of("{\"a\":\"\\ud800\"}"), of("{\"a\":\"\\\\ud800\"}"));
        assertEquals("\"\\ud800x\"", RequestFingerprint.canonical("\ud800x"));
    }
}
