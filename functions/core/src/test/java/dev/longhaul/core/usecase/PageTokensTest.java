package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.testing.InMemorySecretKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PageTokensTest {
    private static final String LAST_ID = "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedc";
    private static final String FILTERS = "queued|demo.sleep||";

    private final InMemorySecretKeys keys = new InMemorySecretKeys();
    private final PageTokens tokens = new PageTokens(keys);

    @Test
    void aTokenVerifiesForItsOwnerAndFiltersAndCarriesThePosition() {
        String token = tokens.sign("alice", FILTERS, LAST_ID);
        assertEquals(LAST_ID, tokens.verify("alice", FILTERS, token));
    }

    @Test
    void tokensAreUrlSafeAndDoNotShowTheOwner() {
        String token = tokens.sign("alice@example.com", FILTERS, LAST_ID);
        assertTrue(token.matches("[A-Za-z0-9_.-]+"), token);
        for (String part : token.split("\\.")) {
            assertFalse(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1).contains("alice"));
        }
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
        // another deployment's key, under the same id
        String foreign = new PageTokens(new InMemorySecretKeys()).sign("alice", FILTERS, LAST_ID);
        assertTrue(foreign.startsWith("v1."), foreign);
        assertNull(tokens.verify("alice", FILTERS, foreign));
    }

    @Test
    void anAlteredPositionDoesNotVerify() {
        String[] token = tokens.sign("alice", FILTERS, LAST_ID).split("\\.");
        String otherBody = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedd|" + FILTERS).getBytes(StandardCharsets.UTF_8));
        assertNull(tokens.verify("alice", FILTERS, token[0] + "." + otherBody + "." + token[2]));
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
    @ValueSource(strings = {"x", ".", "abc", "abc.", ".abc", "a.b.c", "!!!.???", "eyJsYXN0IjoxfQ.c2ln", "v1..", "..",
        "v1.eyJsYXN0IjoxfQ.c2ln.x", "v/1.eyJsYXN0IjoxfQ.c2ln", "v1.eyJsYXN0IjoxfQ.c2ln",
        "MDFqaDVrM3Y5cXo4eDd3NnQ1czRyM3AybjFtMGtqaGdmZWRjfHF1ZXVlZHxkZW1vLnNsZWVwfHw.AAAAAAAAAAAAAAAAAAAAAA",
        "v1.MDFqaDVrM3Y5cXo4eDd3NnQ1czRyM3AybjFtMGtqaGdmZWRjfHF1ZXVlZHxkZW1vLnNsZWVwfHw.AAAAAAAAAAAAAAAAAAAAAA"})
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
        assertEquals(1, keys.currentReads());
        assertEquals(0, keys.findReads(), "the current key verifies what it signed without another read");
    }

    @Test
    void tokensSignedBeforeARotationStillVerifyAndNewOnesNameTheNewKey() {
        String before = tokens.sign("alice", FILTERS, LAST_ID);
        keys.rotate(PageTokens.KEY_NAME);
        // another instance, started after the rotation
        PageTokens later = new PageTokens(keys);
        String after = later.sign("alice", FILTERS, LAST_ID);
        assertTrue(before.startsWith("v1.") && after.startsWith("v2."), before + " " + after);
        assertEquals(LAST_ID, later.verify("alice", FILTERS, before));
        assertEquals(LAST_ID, later.verify("alice", FILTERS, after));
        assertEquals(LAST_ID, tokens.verify("alice", FILTERS, after));
        assertEquals(2, keys.findReads(), "each instance reads the version it did not sign with, once");
        later.verify("alice", FILTERS, before);
        tokens.verify("alice", FILTERS, after);
        assertEquals(2, keys.findReads());
    }

    @Test
    void aTokenNamingAnotherVersionOfTheKeyOrARetiredOneDoesNotVerify() {
        String v1 = tokens.sign("alice", FILTERS, LAST_ID);
        keys.rotate(PageTokens.KEY_NAME);
        assertNull(tokens.verify("alice", FILTERS, "v2" + v1.substring(2)), "signed by v1, claiming v2");
        assertNull(tokens.verify("alice", FILTERS, "v9" + v1.substring(2)), "no such version");
        keys.retire(PageTokens.KEY_NAME, "v1");
        assertNull(new PageTokens(keys).verify("alice", FILTERS, v1), "past keeping");
    }
}
