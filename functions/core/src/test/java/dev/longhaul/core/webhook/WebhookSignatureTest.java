package dev.longhaul.core.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signing and verification, starting from the Standard Webhooks reference vector. */
class WebhookSignatureTest {
    // the vector of the Standard Webhooks specification's reference libraries
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(SPEC_TIMESTAMP));
    private final WebhookVerifier verifier = new WebhookVerifier(SPEC_SECRET, clock, WebhookVerifier.DEFAULT_TOLERANCE);

    @Test
    void signsTheSpecificationVector() {
        assertEquals(SPEC_SIGNATURE, new WebhookSigner(SPEC_SECRET).sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));
    }

    @Test
    void theSecretPrefixIsOptional() {
        assertEquals(SPEC_SIGNATURE, new WebhookSigner(SPEC_SECRET.substring(6)).sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));
    }

    @Test
    void verifiesTheSpecificationVector() {
        assertDoesNotThrow(() -> verifier.verify(SPEC_ID, Long.toString(SPEC_TIMESTAMP), SPEC_SIGNATURE, SPEC_BODY));
    }

    @Test
    void headersAreFoundWhateverTheirCase() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Webhook-Id", SPEC_ID);
        headers.put("WEBHOOK-TIMESTAMP", Long.toString(SPEC_TIMESTAMP));
        headers.put("webhook-signature", SPEC_SIGNATURE);
        assertDoesNotThrow(() -> verifier.verify(headers, SPEC_BODY));
    }

    @Test
    void aTamperedBodyFails() {
        assertThrows(WebhookVerificationException.class,
                () -> verifier.verify(SPEC_ID, Long.toString(SPEC_TIMESTAMP), SPEC_SIGNATURE, "{\"test\": 2432232315}"));
    }

    @Test
    void aTamperedIdFails() {
        assertThrows(WebhookVerificationException.class,
                () -> verifier.verify(SPEC_ID + "x", Long.toString(SPEC_TIMESTAMP), SPEC_SIGNATURE, SPEC_BODY));
    }

    @Test
    void aTamperedTimestampFailsEvenWithinTheTolerance() {
        assertThrows(WebhookVerificationException.class,
                () -> verifier.verify(SPEC_ID, Long.toString(SPEC_TIMESTAMP + 1), SPEC_SIGNATURE, SPEC_BODY));
    }

    @Test
    void aTamperedSignatureFails() {
        byte[] raw = Base64.getDecoder().decode(SPEC_SIGNATURE.substring(3));
        raw[0] ^= 1;
        String tampered = "v1," + Base64.getEncoder().encodeToString(raw);
        assertThrows(WebhookVerificationException.class,
                () -> verifier.verify(SPEC_ID, Long.toString(SPEC_TIMESTAMP), tampered, SPEC_BODY));
    }

    @Test
    void anotherSecretFails() {
        WebhookVerifier other = new WebhookVerifier(WebhookSecret.generate(), clock, WebhookVerifier.DEFAULT_TOLERANCE);
        assertThrows(WebhookVerificationException.class,
                () -> other.verify(SPEC_ID, Long.toString(SPEC_TIMESTAMP), SPEC_SIGNATURE, SPEC_BODY));
    }

    @Test
    void anotherVersionOrGarbageIsIgnoredButOneGoodSignatureIsEnough() {
        String several = "v2,abc v1,!!!notbase64 v1a,xyz " + SPEC_SIGNATURE;
        assertDoesNotThrow(() -> verifier.verify(SPEC_ID, Long.toString(SPEC_TIMESTAMP), several, SPEC_BODY));
        String unversioned = SPEC_SIGNATURE.substring(3);
        assertThrows(WebhookVerificationException.class,
                () -> verifier.verify(SPEC_ID, Long.toString(SPEC_TIMESTAMP), unversioned, SPEC_BODY));
    }

    @Test
    void timestampsOutsideTheToleranceFail() {
        String timestamp = Long.toString(SPEC_TIMESTAMP);
        clock.set(Instant.ofEpochSecond(SPEC_TIMESTAMP).plus(Duration.ofMinutes(5)));
        assertDoesNotThrow(() -> verifier.verify(SPEC_ID, timestamp, SPEC_SIGNATURE, SPEC_BODY));
        clock.set(Instant.ofEpochSecond(SPEC_TIMESTAMP).plus(Duration.ofMinutes(5)).plusSeconds(1));
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(SPEC_ID, timestamp, SPEC_SIGNATURE, SPEC_BODY));
        clock.set(Instant.ofEpochSecond(SPEC_TIMESTAMP).minus(Duration.ofMinutes(5)).minusSeconds(1));
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(SPEC_ID, timestamp, SPEC_SIGNATURE, SPEC_BODY));
    }

    @Test
    void missingOrMalformedHeadersFail() {
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(Map.of(), SPEC_BODY));
        assertThrows(WebhookVerificationException.class,
                () -> verifier.verify(SPEC_ID, "yesterday", SPEC_SIGNATURE, SPEC_BODY));
    }

    @Test
    void headersCarryIdTimestampAndSignature() throws WebhookVerificationException {
        String secret = WebhookSecret.generate();
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        Map<String, String> headers = new WebhookSigner(secret).headers("msg_1", now, "{}");
        assertEquals("msg_1", headers.get("webhook-id"));
        assertEquals(Long.toString(now.getEpochSecond()), headers.get("webhook-timestamp"));
        assertTrue(headers.get("webhook-signature").startsWith("v1,"));
        new WebhookVerifier(secret, new MutableClock(now), WebhookVerifier.DEFAULT_TOLERANCE).verify(headers, "{}");
    }

    @Test
    void generatedSecretsArePrefixedRandom256BitKeys() {
        String a = WebhookSecret.generate();
        assertTrue(a.startsWith("whsec_"));
        assertEquals(32, WebhookSecret.key(a).length);
        assertNotEquals(a, WebhookSecret.generate());
        assertThrows(IllegalArgumentException.class, () -> WebhookSecret.key("whsec_"));
        assertThrows(IllegalArgumentException.class, () -> WebhookSecret.key("whsec_***"));
    }
}
