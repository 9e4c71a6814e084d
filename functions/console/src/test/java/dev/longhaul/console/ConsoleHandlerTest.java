package dev.longhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The console function as Lambda runs it: a payload 2.0 event in, a response envelope out. */
class ConsoleHandlerTest {

    private static final Map<String, String> AWS = Map.of(
            "CONSOLE_ISSUER", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example",
            "CONSOLE_CLIENT_ID", "console-client",
            "CONSOLE_AUTH_ORIGINS", "https://example.auth.eu-west-1.amazoncognito.com");
    private static final Map<String, String> LOCAL = Map.of(
            "CONSOLE_ISSUER", "https://longhaul.local/", "CONSOLE_CLIENT_ID", "", "AWS_SAM_LOCAL", "true");

    record Answer(int status, JsonObject headers, String body) {
        String header(String name) {
            return headers.string(name);
        }
    }

    private static Answer get(Map<String, String> environment, String path, String ifNoneMatch) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("accept", "text/html");
        if (ifNoneMatch != null) {
            headers.put("if-none-match", ifNoneMatch);
        }
        Map<String, Object> event = Map.of("version", "2.0", "routeKey", "GET /console/{proxy+}", "rawPath", path,
                "headers", headers, "requestContext", Map.of("http", Map.of("method", "GET", "path", path)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ConsoleHandler(environment).handleRequest(
                    new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), out, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JsonObject response = JsonObject.of(Json.parseObject(out.toString(StandardCharsets.UTF_8)));
        return new Answer(response.longValue("statusCode").intValue(), response.object("headers"), response.string("body"));
    }

    private static Answer get(Map<String, String> environment, String path) {
        return get(environment, path, null);
    }

    @Test
    void servesThePageWithAStrictPolicyAndNosniff() {
        Answer page = get(AWS, "/console/");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        assertTrue(page.body().contains("<script type=\"module\" src=\"app.js\"></script>"), page.body());
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        String csp = page.header("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self';"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(csp.contains("require-trusted-types-for 'script'"), csp);
        assertTrue(csp.contains("connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com"
                + " https://example.auth.eu-west-1.amazoncognito.com;"), csp);
        assertEquals("no-referrer", page.header("Referrer-Policy"));
    }

    @Test
    void theIndexHasNoInlineScriptOrStyle() {
        String html = get(AWS, "/console/index.html").body();
        assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "an inline script");
        assertFalse(html.contains("style="), "an inline style");
        assertFalse(html.contains("<style"), "an inline style sheet");
        assertFalse(html.matches("(?s).*\\son[a-z]+=.*"), "an inline event handler");
    }

    @Test
    void servesModulesAndStylesWithTheirTypes() {
        assertEquals("text/javascript; charset=utf-8", get(AWS, "/console/app.js").header("Content-Type"));
        assertEquals("text/css; charset=utf-8", get(AWS, "/console/style.css").header("Content-Type"));
        assertEquals(200, get(AWS, "/console/schema-form.js").status());
    }

    @Test
    void theConfigTellsHowToSignIn() {
        JsonObject aws = JsonObject.of(Json.parseObject(get(AWS, "/console/config.json").body()));
        assertEquals("oidc", aws.string("signIn"));
        assertEquals("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example", aws.string("issuer"));
        assertEquals("console-client", aws.string("clientId"));
        assertEquals("", aws.string("apiBase"));
        Answer local = get(LOCAL, "/console/config.json");
        assertEquals("application/json", local.header("Content-Type"));
        assertEquals("development", JsonObject.of(Json.parseObject(local.body())).string("signIn"));
        assertEquals("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
                        + " base-uri 'none'; form-action 'none'; frame-ancestors 'none';"
                        + " require-trusted-types-for 'script'; trusted-types 'none'",
                local.header("Content-Security-Policy"));
    }

    @Test
    void theBarePathRedirectsToTheDirectory() {
        Answer answer = get(AWS, "/console");
        assertEquals(301, answer.status());
        assertEquals("/console/", answer.header("Location"));
    }

    @Test
    void anUnchangedFileIs304() {
        Answer first = get(AWS, "/console/app.js");
        Answer again = get(AWS, "/console/app.js", first.header("ETag"));
        assertEquals(304, again.status());
        assertEquals("", again.body());
        assertEquals("no-cache", again.header("Cache-Control"));
        assertEquals("nosniff", again.header("X-Content-Type-Options"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/../template.yaml", "/console/%2e%2e/pom.xml", "/console/.env",
            "/console/nothing.js", "/console/dev-token", "/console/ConsoleHandler.class",
            "/console/dev/longhaul/console/ConsoleHandler.class", "/console//app.js", "/elsewhere",
            "/console/app.js/", "/console/META-INF/MANIFEST.MF"})
    void nothingElseIsServed(String path) {
        Answer answer = get(AWS, path);
        assertEquals(404, answer.status(), path);
        assertEquals("nosniff", answer.header("X-Content-Type-Options"));
        assertTrue(answer.header("Content-Security-Policy").startsWith("default-src 'none'"));
    }

    @Test
    void anIssuerThatIsNotHttpsIsAConfigurationError() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> new ConsoleHandler(Map.of("CONSOLE_ISSUER", "http://idp.example.com/")));
        assertTrue(error.getMessage().contains("CONSOLE_ISSUER"), error.getMessage());
    }
}
