package dev.longhaul.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Real HTTP against a local cloud, redirects not followed so the tests see the 303 and the 302. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    static HttpResponse<String> get(URI uri, String token) {
        return send(request(uri, token).GET().build());
    }

    static HttpResponse<String> postJson(URI uri, String token, String json) {
        return send(request(uri, token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static HttpResponse<byte[]> download(URI uri) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest.Builder request(URI uri, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A token the local clouds of the tests accept (the Longhaul template's local issuer and audience). */
    static String token(String subject) {
        return new Jwt(TestClouds.JWT_SECRET).mint(subject, Jwt.LOCAL_ISSUER, Jwt.LOCAL_AUDIENCE, Instant.now(),
                Duration.ofHours(1));
    }

    static String token(Map<String, Object> claims) {
        return new Jwt(TestClouds.JWT_SECRET).sign(claims);
    }
}
