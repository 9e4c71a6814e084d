package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the local gateway's JWT authorizer over real HTTP: malformed tokens (parts, base64, JSON,
 * algorithms, signatures) and well-signed tokens whose claims are wrong or extreme ({@code exp},
 * {@code nbf}, {@code iat} beyond a long or java.time's range, floats, negatives, strings, the
 * issuer and audience of someone else). Properties: every answer is API Gateway's
 * {@code 401 {"message":"Unauthorized"}}, and no connection is ever dropped without an answer.
 * A valid token, sent between them, must still pass.
 *
 * <p>Valid tokens with subjects of any length (up to 20,000 characters) pass, their subject intact.
 *
 * <p>Seeded: {@code -Dlonghaul.fuzz.seed=N} replays a run, {@code -Dlonghaul.fuzz.tokens=N} sizes it.
 */
class GatewayJwtFuzzTest {
    private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** None is a NumericDate the verifier takes: each is negative, past year 9999 or beyond a long. */
    private static final String[] EXTREME_NUMBERS = {
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551616",
        "1180591620717411303424", "-1180591620717411303424", "1" + "0".repeat(99), "31556889864403199",
        "31556889864403200", "-31557014167219200", "-31557014167219201", "253402300800", "1e400", "-1e400",
        "1.5e300", "1E+308", "-4.9e-324", "-1", "-0.5", "-100000", "1e19", "9.999999999999999e18"};
    private static final String[] NOT_NUMBERS = {"\"1893456000\"", "true", "false", "[]", "[1893456000]", "{}",
        "\"NaN\"", "\"Infinity\"", "\"\"", "null"};

    private final Random random = new Random(Long.getLong("longhaul.fuzz.seed", 70L));
    private final Jwt jwt = new Jwt(TestClouds.JWT_SECRET);
    private final long now = Instant.now().getEpochSecond();

    @Test
    void everyBadTokenIsA401AndNoConnectionIsDropped() {
        URI protectedRoute = TestClouds.fixture().baseUrl().resolve("/echo/fuzz");
        int tokens = Integer.getInteger("longhaul.fuzz.tokens", 350);
        List<Function<Random, String>> generators = List.of(this::extremeTimeClaim, this::notANumberTimeClaim,
                this::wrongClaims, this::malformedStructure, this::badSignature, this::badHeader, this::badPayload);
        TreeMap<Integer, Integer> statuses = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < tokens; i++) {
            String token = generators.get(i % generators.size()).apply(random);
            String problem = answer(protectedRoute, token, statuses);
            if (problem != null && violations.size() < 20) {
                violations.add(problem + "\n  token: " + abbreviate(token));
            }
            if (i % 100 == 0) {
                HttpResponse<String> valid = Http.get(protectedRoute, validToken());
                assertEquals(200, valid.statusCode(), "a valid token after " + i + " bad ones: " + valid.body());
            }
        }
        System.out.printf(java.util.Locale.ROOT, "jwt fuzz: tokens=%d elapsed=%.1fs statuses=%s%n", tokens,
                (System.nanoTime() - started) / 1e9, statuses);
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    /**
     * Well-signed tokens whose subjects are long (up to 20,000 characters, past any DynamoDB key
     * size) or hold characters that need escaping: each passes, and the function sees the subject
     * exactly as signed.
     */
    @Test
    void validTokensWithSubjectsOfAnyLengthPassWithTheirSubjectIntact() {
        URI protectedRoute = TestClouds.fixture().baseUrl().resolve("/echo/long-subject");
        for (int i = 0; i < 24; i++) {
            int length = pickInt(random, 256, 983, 1_024, 2_043, 2_049, 4_096, 10_000, 20_000);
            String alphabet = pick(random, "abcdefghijklmnopqrstuvwxyz0123456789", "\u4e16\u754c\u00e9#\"\\/",
                    "\uD83D\uDE80a", "a\u0000\u001f\u2028");
            int[] codePoints = alphabet.codePoints().toArray();
            StringBuilder subject = new StringBuilder(length + 1);
            while (subject.length() < length) {
                subject.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            }
            String sub = subject.toString();
            String token = jwt.mint(sub, TestClouds.FIXTURE_ISSUER, TestClouds.FIXTURE_AUDIENCE,
                    Instant.ofEpochSecond(now), java.time.Duration.ofMinutes(10));
            HttpResponse<String> response = Http.get(protectedRoute, token);
            assertEquals(200, response.statusCode(), "a subject of " + length + " characters: " + abbreviate(response.body()));
            Map<?, ?> event = (Map<?, ?>) Json.parseObject(response.body()).get("event");
            Map<?, ?> claims = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) event.get("requestContext"))
                    .get("authorizer")).get("jwt")).get("claims");
            assertTrue(sub.equals(claims.get("sub")), "the subject of " + length + " characters as signed: "
                    + difference(sub, String.valueOf(claims.get("sub"))));
        }
    }

    /** Why the answer breaks the properties, or null. */
    private static String answer(URI uri, String token, TreeMap<Integer, Integer> statuses) {
        HttpResponse<String> response;
        try {
            response = Http.send(Http.request(uri, null).header("Authorization", "Bearer " + token).GET().build());
        } catch (UncheckedIOException e) {
            statuses.merge(-1, 1, Integer::sum);
            return "no answer: " + e.getCause();
        }
        statuses.merge(response.statusCode(), 1, Integer::sum);
        if (response.statusCode() != 401 || !"{\"message\":\"Unauthorized\"}".equals(response.body())) {
            return "answered " + response.statusCode() + " " + abbreviate(response.body());
        }
        return null;
    }

    // ---- generators ----

    private String extremeTimeClaim(Random r) {
        String value = pick(r, EXTREME_NUMBERS);
        return switch (r.nextInt(3)) {
            case 0 -> signed(claims("\"exp\":" + value));
            case 1 -> signed(claims("\"exp\":" + (now + 600) + ",\"nbf\":" + value));
            default -> signed(claims("\"exp\":" + (now + 600) + ",\"iat\":" + value));
        };
    }

    private String notANumberTimeClaim(Random r) {
        String value = pick(r, NOT_NUMBERS);
        return switch (r.nextInt(3)) {
            case 0 -> signed(claims("\"exp\":" + value));
            case 1 -> value.equals("null") ? signed(claims("\"exp\":null"))
                    : signed(claims("\"exp\":" + (now + 600) + ",\"nbf\":" + value));
            default -> value.equals("null") ? signed("{\"sub\":\"fuzz\",\"iss\":\"" + TestClouds.FIXTURE_ISSUER
                    + "\",\"aud\":\"" + TestClouds.FIXTURE_AUDIENCE + "\"}")
                    : signed(claims("\"exp\":" + (now + 600) + ",\"iat\":" + value));
        };
    }

    private String wrongClaims(Random r) {
        String aud = "\"" + TestClouds.FIXTURE_AUDIENCE + "\"";
        String iss = "\"" + TestClouds.FIXTURE_ISSUER + "\"";
        String exp = String.valueOf(now + 600);
        return switch (r.nextInt(9)) {
            case 0 -> signed(claims("\"exp\":" + (now - 60 - r.nextInt(1_000_000))));
            case 1 -> signed(claims("\"exp\":" + exp + ",\"nbf\":" + (now + 60 + r.nextInt(1_000_000))));
            case 2 -> signed(claims("\"exp\":" + exp + ",\"iat\":" + (now + 60 + r.nextInt(1_000_000))));
            case 3 -> signed("{\"sub\":\"fuzz\",\"iss\":" + pick(r, "\"https://evil.example/\"", "1", "null", "[" + iss + "]",
                    "\"" + TestClouds.FIXTURE_ISSUER.toUpperCase() + "\"") + ",\"aud\":" + aud + ",\"exp\":" + exp + "}");
            case 4 -> signed("{\"sub\":\"fuzz\",\"iss\":" + iss + ",\"aud\":" + pick(r, "\"someone-else\"", "[]",
                    "[\"someone-else\"]", "7", "{}", "\"\"", aud.toUpperCase()) + ",\"exp\":" + exp + "}");
            case 5 -> signed("{\"sub\":\"fuzz\",\"iss\":" + iss + ",\"exp\":" + exp + "}");
            case 6 -> signed("{\"sub\":\"fuzz\",\"iss\":" + iss + ",\"client_id\":\"someone-else\",\"exp\":" + exp + "}");
            case 7 -> signed(claims("\"exp\":" + exp + ",\"exp\":" + (now - 60)));
            default -> signed(claims("\"exp\":" + (now - 3600) + ".5"));
        };
    }

    private String malformedStructure(Random r) {
        String valid = validToken();
        String[] parts = valid.split("\\.");
        return switch (r.nextInt(12)) {
            case 0 -> "";
            case 1 -> parts[0];
            case 2 -> parts[0] + "." + parts[1];
            case 3 -> valid + ".";
            case 4 -> valid + "." + parts[2];
            case 5 -> "..";
            case 6 -> "." + parts[1] + "." + parts[2];
            case 7 -> parts[0] + ".." + parts[2];
            case 8 -> valid.replace('-', '+').replace('_', '/') + "==";
            case 9 -> parts[0] + "." + parts[1] + "." + parts[2] + "=";
            case 10 -> "x".repeat(1 + r.nextInt(6000));
            default -> parts[0] + "." + "!!!!" + "." + parts[2];
        };
    }

    private String badSignature(Random r) {
        String valid = validToken();
        int dot = valid.lastIndexOf('.');
        String signature = valid.substring(dot + 1);
        return switch (r.nextInt(5)) {
            case 0 -> valid.substring(0, dot + 1);
            case 1 -> valid.substring(0, dot + 1) + flip(r, signature);
            case 2 -> valid.substring(0, dot + 1) + signature.substring(0, signature.length() - 2);
            case 3 -> new Jwt("not-the-secret").sign(HEADER, claims("\"exp\":" + (now + 600)));
            default -> {
                // the payload changed after signing
                String[] parts = valid.split("\\.");
                yield parts[0] + "." + encode(claims("\"exp\":" + (now + 600) + ",\"admin\":true")) + "." + parts[2];
            }
        };
    }

    private String badHeader(Random r) {
        String payload = claims("\"exp\":" + (now + 600));
        String header = pick(r, "{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"RS256\"}", "{\"alg\":\"HS512\"}",
                "{\"alg\":\"hs256\"}", "{}", "{\"alg\":null}", "{\"alg\":[\"HS256\"]}", "[]", "\"HS256\"", "not json",
                "{\"alg\":\"HS256\"", "{\"alg\":\"HS256\",\"alg\":\"none\"}");
        if (header.contains("none") || header.contains("None")) {
            return encode(header) + "." + encode(payload) + ".";
        }
        return jwt.sign(header, payload);
    }

    private String badPayload(Random r) {
        return signed(pick(r, "", "null", "[]", "[1,2]", "\"text\"", "42", "{", "{\"exp\":}", "{\"exp\":1e}",
                "{\"exp\":" + "9".repeat(101) + "}", "[".repeat(70) + "]".repeat(70),
                "{\"a\":" + "{\"a\":".repeat(70) + "1" + "}".repeat(71),
                "{\"exp\":" + (now + 600) + ",}", "\uFEFF" + claims("\"exp\":" + (now + 600)),
                "{\"exp\":NaN}", "{\"exp\":Infinity}", "{\"exp\":-Infinity}", "{\"exp\":0x7fffffff}",
                "{\"exp\":01893456000}", "{\"exp\":+1893456000}", "{\"exp\":.5}", "{\"exp\":1.}"));
    }

    // ---- building tokens ----

    /** The fixture's issuer and audience, a subject, and the given claims. */
    private static String claims(String more) {
        return "{\"sub\":\"fuzz\",\"iss\":\"" + TestClouds.FIXTURE_ISSUER + "\",\"aud\":\"" + TestClouds.FIXTURE_AUDIENCE
                + "\"," + more + "}";
    }

    private String signed(String payload) {
        return jwt.sign(HEADER, payload);
    }

    private String validToken() {
        return signed(claims("\"exp\":" + (now + 600) + ",\"iat\":" + now + ",\"nbf\":" + (now - 1)));
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String flip(Random r, String text) {
        char[] chars = text.toCharArray();
        int i = r.nextInt(chars.length);
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    /** Where two strings first differ, escaped. */
    private static String difference(String expected, String actual) {
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        return "lengths " + expected.length() + " and " + actual.length() + ", first difference at " + i + ": "
                + escaped(expected.substring(i, Math.min(expected.length(), i + 8))) + " became "
                + escaped(actual.substring(i, Math.min(actual.length(), i + 8)));
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    private static int pickInt(Random r, int... options) {
        return options[r.nextInt(options.length)];
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + " chars)";
    }
}
