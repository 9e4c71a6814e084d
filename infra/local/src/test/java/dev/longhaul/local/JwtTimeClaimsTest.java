package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code exp}, {@code nbf} and {@code iat} are NumericDates (RFC 7519 section 2): JSON numbers of
 * seconds, fractions allowed. Any value that is not one, or lies outside 1970..9999, refuses the
 * token, as does a token expired or not valid yet; nothing else may escape the verifier.
 */
class JwtTimeClaimsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final long IN_AN_HOUR = NOW.getEpochSecond() + 3600;
    private static final Jwt JWT = new Jwt("time-claims-secret");

    private static String token(String claim, String value) {
        String exp = claim.equals("exp") ? value : String.valueOf(IN_AN_HOUR);
        String extra = claim.equals("exp") ? "" : ",\"" + claim + "\":" + value;
        return JWT.sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"alice\",\"exp\":" + exp + extra + "}");
    }

    private static String refusal(String claim, String value) {
        return assertThrows(Jwt.InvalidTokenException.class,
                () -> JWT.verify(token(claim, value), null, List.of(), NOW), claim + "=" + value).getMessage();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # outside java.time's range, where Instant.ofEpochSecond threw DateTimeException
        exp | 9223372036854775807       | exp is not a NumericDate between 1970 and 9999
        nbf | 9223372036854775807       | nbf is not a NumericDate between 1970 and 9999
        iat | 9223372036854775807       | iat is not a NumericDate between 1970 and 9999
        exp | -9223372036854775808      | exp is not a NumericDate between 1970 and 9999
        iat | 31556889864403200         | iat is not a NumericDate between 1970 and 9999
        # beyond a long, where longValue() kept the low 64 bits: 2^70 became 0
        nbf | 1180591620717411303424    | nbf is not a NumericDate between 1970 and 9999
        iat | 1180591620717411303424    | iat is not a NumericDate between 1970 and 9999
        exp | 1180591620717411303424    | exp is not a NumericDate between 1970 and 9999
        exp | 18446744073709551616      | exp is not a NumericDate between 1970 and 9999
        nbf | -1180591620717411303424   | nbf is not a NumericDate between 1970 and 9999
        # floats out of range, negative, past year 9999
        exp | 1e400                     | exp is not a NumericDate between 1970 and 9999
        nbf | 1.5e300                   | nbf is not a NumericDate between 1970 and 9999
        iat | -1e400                    | iat is not a NumericDate between 1970 and 9999
        nbf | -1                        | nbf is not a NumericDate between 1970 and 9999
        iat | -0.5                      | iat is not a NumericDate between 1970 and 9999
        exp | 253402300800              | exp is not a NumericDate between 1970 and 9999
        # not numbers
        exp | "1893456000"              | exp is not a number
        nbf | true                      | nbf is not a number
        iat | [1]                       | iat is not a number
        exp | {"n":1}                   | exp is not a number
        # numbers in range that refuse the token
        exp | 0                         | expired
        exp | 1795593594.5              | expired
        nbf | 1795593605.25             | not valid yet (nbf)
        iat | 253402300799              | issued in the future (iat)
        """)
    void timeClaimsOutsideTheirRangeRefuseTheToken(String claim, String value, String reason) {
        assertEquals(reason, refusal(claim, value));
    }

    @Test
    void missingExpRefusesTheToken() {
        String token = JWT.sign("{\"alg\":\"HS256\"}", "{\"sub\":\"alice\"}");
        assertEquals("no exp claim", assertThrows(Jwt.InvalidTokenException.class,
                () -> JWT.verify(token, null, List.of(), NOW)).getMessage());
    }

    @Test
    void fractionalAndBoundaryNumericDatesAreAccepted() {
        for (String[] claim : new String[][] {{"exp", IN_AN_HOUR + ".5"}, {"exp", "253402300799"}, {"exp", "2.5e10"},
                {"nbf", "0"}, {"nbf", String.valueOf(NOW.getEpochSecond())}, {"iat", "1.0E9"}, {"iat", "0.5"}}) {
            Map<String, Object> claims = JWT.verify(token(claim[0], claim[1]), null, List.of(), NOW);
            assertEquals("alice", claims.get("sub"), claim[0] + "=" + claim[1]);
        }
    }
}
