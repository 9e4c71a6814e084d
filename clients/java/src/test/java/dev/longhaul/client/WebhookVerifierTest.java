package dev.longhaul.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longhaul.core.webhook.WebhookSecret;
import dev.longhaul.core.webhook.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's verifier against signatures made by the signer the webhook delivery function uses. */
class WebhookVerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:05Z");
    private static final String BODY = "{\"type\":\"task.succeeded\",\"data\":{\"id\":\"x\",\"description\":\"Zürich ✓\"}}";

    private final String secret = WebhookSecret.generate();
    private final WebhookVerifier verifier = new WebhookVerifier(secret, Clock.fixed(NOW, ZoneOffset.UTC),
            WebhookVerifier.DEFAULT_TOLERANCE);

    private Map<String, String> signed(Instant at, String body) {
        return new HashMap<>(new WebhookSigner(secret).headers("msg_abc_def", at, body));
    }

    @Test
    void aDeliverySignedByLonghaulVerifiesAsTextOrBytesWithHeadersInAnyCase() {
        Map<String, String> headers = signed(NOW, BODY);
        assertDoesNotThrow(() -> verifier.verify(headers, BODY));
        assertDoesNotThrow(() -> verifier.verify(headers, BODY.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> upper = new HashMap<>();
        headers.forEach((name, value) -> upper.put(name.toUpperCase(), value));
        assertDoesNotThrow(() -> verifier.verify(upper, BODY));
        // a secret given without its prefix is the same key
        WebhookVerifier bare = new WebhookVerifier(secret.substring("whsec_".length()), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofMinutes(5));
        assertDoesNotThrow(() -> bare.verify(headers, BODY));
    }

    @Test
    void oneMatchingV1SignatureAmongSeveralIsEnough() {
        Map<String, String> headers = signed(NOW, BODY);
        String genuine = headers.get("webhook-signature");
        headers.put("webhook-signature", "v2,abc v1,AAAA " + genuine + " v1,not-base64!");
        assertDoesNotThrow(() -> verifier.verify(headers, BODY));
    }

    @Test
    void aTamperedBodyOrSignatureOrAnotherSecretIsRefused() {
        Map<String, String> headers = signed(NOW, BODY);
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(headers, BODY.replace("succeeded", "failed")));
        Map<String, String> otherId = new HashMap<>(headers);
        otherId.put("webhook-id", "msg_abc_other");
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(otherId, BODY));
        Map<String, String> foreign = new HashMap<>(new WebhookSigner(WebhookSecret.generate()).headers("msg_abc_def", NOW, BODY));
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(foreign, BODY));
        Map<String, String> v2Only = new HashMap<>(headers);
        v2Only.put("webhook-signature", headers.get("webhook-signature").replace("v1,", "v2,"));
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(v2Only, BODY));
    }

    @Test
    void aTimestampOutsideTheToleranceIsRefusedEvenWhenTheSignatureMatches() {
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(signed(NOW.minusSeconds(301), BODY), BODY));
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(signed(NOW.plusSeconds(301), BODY), BODY));
        assertDoesNotThrow(() -> verifier.verify(signed(NOW.minusSeconds(299), BODY), BODY));
        Map<String, String> malformed = signed(NOW, BODY);
        malformed.put("webhook-timestamp", "soon");
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(malformed, BODY));
    }

    @Test
    void aMissingHeaderOrBodyIsRefused() {
        for (String name : new String[] {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
            Map<String, String> headers = signed(NOW, BODY);
            headers.remove(name);
            assertThrows(WebhookVerificationException.class, () -> verifier.verify(headers, BODY), name);
        }
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(signed(NOW, BODY), (String) null));
    }
}
