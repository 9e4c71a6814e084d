package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console through the local cloud's gateway: the page (open), its config, and the local-only dev-token endpoint. */
class ConsoleOverHttpTest {

    private static URI at(String path) {
        return TestClouds.longhaul().baseUrl().resolve(path);
    }

    private static HttpResponse<String> devToken(String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(at(DevTokenEndpoint.PATH))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        headers.forEach(request::header);
        return Http.send(request.build());
    }

    @Test
    void thePageNeedsNoTokenAndSendsItsSecurityHeaders() {
        HttpResponse<String> page = Http.get(at("/console/"), null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Longhaul"), page.body());
        assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(null));
        assertTrue(page.headers().firstValue("content-security-policy").orElseThrow().contains("script-src 'self';"));
        assertEquals(301, Http.get(at("/console"), null).statusCode());
        Map<String, Object> config = Json.parseObject(Http.get(at("/console/config.json"), null).body());
        assertEquals("development", config.get("signIn"));
        assertEquals(401, Http.get(at("/v1/tasks"), null).statusCode(), "the API stays behind the JWT authorizer");
    }

    @Test
    void aDevelopmentTokenOpensTheApi() {
        HttpResponse<String> answer = devToken("{\"subject\": \"console-dev\"}", "application/json", Map.of());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("no-store", answer.headers().firstValue("cache-control").orElse(null));
        Map<String, Object> body = Json.parseObject(answer.body());
        assertEquals("console-dev", body.get("subject"));
        assertTrue(Instant.parse((String) body.get("expiresAt")).isAfter(Instant.now().plusSeconds(11 * 3600)));
        HttpResponse<String> tasks = Http.get(at("/v1/tasks"), (String) body.get("token"));
        assertEquals(200, tasks.statusCode(), tasks.body());
        // the local cloud's own issuer and audience: the token command's token is accepted the same way
        Map<String, Object> claims = new Jwt(TestClouds.JWT_SECRET).verify((String) body.get("token"),
                Jwt.LOCAL_ISSUER, List.of(Jwt.LOCAL_AUDIENCE), Instant.now());
        assertEquals("console-dev", claims.get("sub"));
    }

    @Test
    void crossSiteAndMalformedRequestsGetNoToken() {
        assertEquals(415, devToken("{\"subject\": \"a\"}", "text/plain", Map.of()).statusCode());
        assertEquals(415, devToken("subject=a", "application/x-www-form-urlencoded", Map.of()).statusCode());
        assertEquals(403, devToken("{\"subject\": \"a\"}", "application/json",
                Map.of("origin", "https://evil.example")).statusCode());
        assertEquals(403, devToken("{\"subject\": \"a\"}", "application/json",
                Map.of("sec-fetch-site", "cross-site")).statusCode());
        for (String body : List.of("{}", "{\"subject\": \"\"}", "{\"subject\": \"a b\"}", "{\"subject\": 7}", "nope")) {
            HttpResponse<String> refused = devToken(body, "application/json", Map.of());
            assertEquals(400, refused.statusCode(), body);
            assertEquals("application/problem+json", refused.headers().firstValue("content-type").orElse(null));
            assertFalse(refused.body().contains("token\""), refused.body());
        }
        assertEquals(405, Http.get(at(DevTokenEndpoint.PATH), null).statusCode());
    }

    @Test
    void theDevTokenRouteIsNotInTheTemplate() throws IOException {
        String template = Files.readString(TestClouds.repositoryRoot().resolve("template.yaml"));
        assertFalse(template.contains("dev-token"), "the development sign-in must never be deployed");
    }
}
