package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.port.SecretKeys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PageTokensTest {
    private static final String LAST_ID = "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedc";
    private static final String FILTERS = "queued|demo.sleep||";

    private final AtomicInteger keyReads = new AtomicInteger();
    private final SecretKeys keys = name -> {
        keyReads.incrementAndGet();
        return key((byte) 7);
    };
    private final PageTokens tokens = new PageTokens(keys);

    private static byte[] key(byte fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, fill);
        return key;
    }

    @Test
    void aTokenVerifiesForItsOwnerAndFiltersAndCarriesThePosition() {
        String token = tokens.sign("alice", FILTERS, LAST_ID);
        assertEquals(LAST_ID, tokens.verify("alice", FILTERS, token));
    }

    @Test
    void tokensAreUrlSafeAndDoNotShowTheOwner() {
        String token = tokens.sign("alice@example.com", FILTERS, LAST_ID);
        assertTrue(token.matches("[A-Za-z0-9_.-]+"), token);
        assertFalse(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8).contains("alice"));
    }

    @Test
    void anotherOwnersTokenDoesNotVerify() {
        String token = tokens.sign("alice", FILTERS, LAST_ID);
        assertNull(tokens.verify("mallory", FILTERS, token));
    }

    @Test
    void aTokenOfAQueryWithOtherFiltersDoesNotVerify() {
        String token = tokens.sign("alice", FILTERS, LAST_ID);
        assertNull(tokens.verify("alice", "running|demo.sleep||", token));
        assertNull(tokens.verify("alice", "|||", token));
    }

    @Test
    void aTokenSignedUnderAnotherKeyDoesNotVerify() {
        String foreign = new PageTokens(name -> key((byte) 8)).sign("alice", FILTERS, LAST_ID);
        assertNull(tokens.verify("alice", FILTERS, foreign));
    }

    @Test
    void anAlteredPositionDoesNotVerify() {
        String token = tokens.sign("alice", FILTERS, LAST_ID);
        String signature = token.substring(token.indexOf('.') + 1);
        String otherBody = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedd|" + FILTERS).getBytes(StandardCharsets.UTF_8));
        assertNull(tokens.verify("alice", FILTERS, otherBody + "." + signature));
    }

    @Test
    void everySingleCharacterChangeIsDetected() {
        String token = tokens.sign("alice", FILTERS, LAST_ID);
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String altered = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            String position = tokens.verify("alice", FILTERS, altered);
            // the last base64 digit may carry unused bits: a change there can decode to the same bytes
            assertTrue(position == null || position.equals(LAST_ID), "altered at " + i + ": " + altered);
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"x", ".", "abc", "abc.", ".abc", "a.b.c", "!!!.???", "eyJsYXN0IjoxfQ.c2ln",
        "MDFqaDVrM3Y5cXo4eDd3NnQ1czRyM3AybjFtMGtqaGdmZWRjfHF1ZXVlZHxkZW1vLnNsZWVwfHw.AAAAAAAAAAAAAAAAAAAAAA"})
    void forgedTokensDoNotVerify(String forged) {
        assertNull(tokens.verify("alice", FILTERS, forged));
    }

    @Test
    void anOverlongTokenIsRefusedBeforeAnyWork() {
        assertNull(tokens.verify("alice", FILTERS, "a".repeat(10_000) + ".b"));
    }

    @Test
    void theKeyIsReadOnce() {
        for (int i = 0; i < 5; i++) {
            tokens.verify("alice", FILTERS, tokens.sign("alice", FILTERS, LAST_ID));
        }
        assertEquals(1, keyReads.get());
    }
}
