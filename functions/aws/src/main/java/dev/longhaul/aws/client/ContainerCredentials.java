package dev.longhaul.aws.client;

import dev.longhaul.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Credentials from the container endpoint, as Lambda hands them to SnapStart functions (and ECS
 * to tasks): {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, with the token from
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} or the file {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}.
 * Fetched on first use, not at construction (a snapshot must not hold them), and again five
 * minutes before they expire.
 */
public final class ContainerCredentials implements CredentialsSource {
    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);
    private final URI uri;
    private final String token;
    private final String tokenFile;
    private Credentials current;

    public ContainerCredentials(String uri, String token, String tokenFile) {
        this.uri = URI.create(uri);
        this.token = token;
        this.tokenFile = tokenFile;
    }

    public static ContainerCredentials fromEnvironment(Map<String, String> env) {
        return new ContainerCredentials(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
                blankToNull(env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")),
                blankToNull(env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")));
    }

    @Override
    public synchronized Credentials credentials() {
        if (current == null || (current.expiration() != null
                && Instant.now().plus(REFRESH_BEFORE_EXPIRY).isAfter(current.expiration()))) {
            current = fetch();
        }
        return current;
    }

    private Credentials fetch() {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            String authorization = token != null ? token
                    : tokenFile != null ? Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).trim() : null;
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new IllegalStateException("container credentials endpoint answered " + status);
            }
            String body;
            try (InputStream in = connection.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, Object> json = Json.parseObject(body);
            Object expiration = json.get("Expiration");
            return new Credentials((String) json.get("AccessKeyId"), (String) json.get("SecretAccessKey"),
                    (String) json.get("Token"), expiration == null ? null : Instant.parse((String) expiration));
        } catch (IOException e) {
            throw new IllegalStateException("could not fetch container credentials: " + e.getClass().getSimpleName(), e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
