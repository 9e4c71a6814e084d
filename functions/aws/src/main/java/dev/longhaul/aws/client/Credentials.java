package dev.longhaul.aws.client;

import java.time.Instant;
import java.util.Objects;

/**
 * AWS credentials: a key pair, a session token when temporary, and when they stop being valid
 * (null for keys that do not expire). {@link #toString()} never shows the secret.
 */
public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    public Credentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    public Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        this(accessKeyId, secretAccessKey, sessionToken, null);
    }

    @Override
    public String toString() {
        return "Credentials[accessKeyId=" + accessKeyId + ", secret=***"
                + (sessionToken == null ? "" : ", session") + "]";
    }
}
