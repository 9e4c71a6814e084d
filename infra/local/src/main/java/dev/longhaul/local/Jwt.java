package dev.longhaul.local;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 JSON Web Tokens: minted for development by the {@code token} command, verified by the
 * gateway's JWT authorizer. API Gateway verifies RS256 tokens against the issuer's JWKS; locally a
 * shared secret stands in for the identity provider, the checks on the claims are the same.
 */
public final class Jwt {

    /** Development only: anyone who reads this source can mint tokens for a cloud that uses it. */
    public static final String DEVELOPMENT_SECRET = "longhaul-local-dev-secret";
    public static final String LOCAL_ISSUER = "https://longhaul.local/";
    public static final String LOCAL_AUDIENCE = "longhaul-local";
    /** Clock skew tolerated on exp and nbf, as identity-provider libraries do. */
    private static final Duration LEEWAY = Duration.ofSeconds(5);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** 9999-12-31T23:59:59Z. */
    private static final BigDecimal LATEST_NUMERIC_DATE = BigDecimal.valueOf(253_402_300_799L);

    private final byte[] secret;

    public Jwt(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("The JWT secret must not be empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The secret in force: the explicit one, else {@code LONGHAUL_JWT_SECRET}, else the development default. */
    public static String secret(String explicit, Map<String, String> environment) {
        if (explicit != null && !explicit.isEmpty()) {
            return explicit;
        }
        String fromEnvironment = environment.get("LONGHAUL_JWT_SECRET");
        return fromEnvironment == null || fromEnvironment.isEmpty() ? DEVELOPMENT_SECRET : fromEnvironment;
    }

    /** A development token for {@code subject}: issuer and audience of the local defaults unless given. */
    public String mint(String subject, String issuer, String audience, Instant now, Duration lifetime) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        return sign(claims);
    }

    /** Signs the claims as they are. */
    public String sign(Map<String, Object> claims) {
        return sign(Json.write(Map.of("alg", "HS256", "typ", "JWT")), Json.write(claims));
    }

    /** Signs a header and a payload given as text, whatever they hold: tests make malformed tokens with it. */
    String sign(String header, String payload) {
        String signingInput = encode(header) + "." + encode(payload);
        return signingInput + "." + ENCODER.encodeToString(hmac(signingInput));
    }

    /**
     * Verifies the signature, {@code exp}, {@code nbf}, {@code iat}, the issuer and the audience (or
     * {@code client_id}), as API Gateway's JWT authorizer does, and returns the claims.
     *
     * @throws InvalidTokenException with the reason, for the log (never for the client)
     */
    public Map<String, Object> verify(String token, String issuer, List<String> audiences, Instant now) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException("not a JWS compact token");
        }
        for (String part : parts) {
            if (!part.chars().allMatch(Jwt::isBase64UrlCharacter)) {
                throw new InvalidTokenException("not base64url without padding");
            }
        }
        Map<String, Object> header = decodeObject(parts[0], "header");
        if (!"HS256".equals(header.get("alg"))) {
            throw new InvalidTokenException("unsupported alg " + header.get("alg") + " (the local cloud verifies HS256)");
        }
        byte[] signature;
        try {
            signature = DECODER.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("signature is not base64url");
        }
        if (!MessageDigest.isEqual(signature, hmac(parts[0] + "." + parts[1]))) {
            throw new InvalidTokenException("bad signature");
        }
        Map<String, Object> claims = decodeObject(parts[1], "payload");
        Instant exp = numericDate(claims, "exp");
        Instant nbf = numericDate(claims, "nbf");
        Instant iat = numericDate(claims, "iat");
        if (exp == null) {
            throw new InvalidTokenException("no exp claim");
        }
        if (now.isAfter(exp.plus(LEEWAY))) {
            throw new InvalidTokenException("expired");
        }
        if (nbf != null && now.plus(LEEWAY).isBefore(nbf)) {
            throw new InvalidTokenException("not valid yet (nbf)");
        }
        if (iat != null && now.plus(LEEWAY).isBefore(iat)) {
            throw new InvalidTokenException("issued in the future (iat)");
        }
        if (issuer != null && !issuer.equals(claims.get("iss"))) {
            throw new InvalidTokenException("issuer " + claims.get("iss") + " is not " + issuer);
        }
        if (audiences != null && !audiences.isEmpty() && !audienceMatches(claims, audiences)) {
            throw new InvalidTokenException("audience " + claims.getOrDefault("aud", claims.get("client_id"))
                    + " is not one of " + audiences);
        }
        return claims;
    }

    private static boolean audienceMatches(Map<String, Object> claims, List<String> audiences) {
        Object aud = claims.get("aud");
        if (aud == null) {
            // API Gateway falls back to client_id when the token has no aud.
            aud = claims.get("client_id");
        }
        if (aud instanceof List<?> list) {
            return list.stream().anyMatch(item -> audiences.contains(String.valueOf(item)));
        }
        return aud != null && audiences.contains(String.valueOf(aud));
    }

    /**
     * A NumericDate claim (RFC 7519 section 2): a JSON number of seconds since the epoch, fractions
     * allowed. Only 1970 to 9999 is taken: a value beyond that (or beyond a long, which
     * {@code longValue()} would silently wrap) refuses the token instead of escaping as an
     * exception or being read as another date.
     */
    private static Instant numericDate(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw new InvalidTokenException(name + " is not a number");
        }
        BigDecimal seconds;
        if (value instanceof Double || value instanceof Float) {
            double d = number.doubleValue();
            seconds = Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        } else {
            seconds = new BigDecimal(number.toString());
        }
        if (seconds == null || seconds.signum() < 0 || seconds.compareTo(LATEST_NUMERIC_DATE) > 0) {
            throw new InvalidTokenException(name + " is not a NumericDate between 1970 and 9999");
        }
        long whole = seconds.longValue();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static boolean isBase64UrlCharacter(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static Map<String, Object> decodeObject(String part, String what) {
        try {
            return Json.parseObject(new String(DECODER.decode(part), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JsonException e) {
            throw new InvalidTokenException(what + " is not base64url JSON");
        }
    }

    private byte[] hmac(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static String encode(String json) {
        return ENCODER.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Why a token was refused; the client only ever sees 401. */
    public static final class InvalidTokenException extends RuntimeException {
        InvalidTokenException(String reason) {
            super(reason);
        }
    }
}
