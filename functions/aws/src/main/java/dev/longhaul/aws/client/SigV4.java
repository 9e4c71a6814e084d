package dev.longhaul.aws.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4, for headers and for presigned URLs
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html). URIs handed in must
 * already be encoded the way {@link #encode} encodes: their raw path and query are used as the
 * canonical ones, which holds for S3 (no double encoding) and for the JSON services (path "/").
 */
public final class SigV4 {
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final String service;
    private final String region;
    private String keyDate;
    private String keySecret;
    private byte[] signingKey;

    public SigV4(String service, String region) {
        this.service = service;
        this.region = region;
    }

    /**
     * The headers to send: {@code headers} plus {@code x-amz-date}, the session token and
     * {@code Authorization}, all signed with {@code Host}.
     */
    public Map<String, String> sign(String method, URI uri, Map<String, String> headers, String payloadHash,
                                    Credentials credentials, Instant now) {
        String amzDate = amzDate(now);
        TreeMap<String, String> canonical = new TreeMap<>();
        headers.forEach((name, value) -> canonical.put(name.toLowerCase(Locale.ROOT), value.trim()));
        canonical.put("host", host(uri));
        canonical.put("x-amz-date", amzDate);
        if (credentials.sessionToken() != null) {
            canonical.put("x-amz-security-token", credentials.sessionToken());
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        StringBuilder signedHeaders = new StringBuilder();
        canonical.forEach((name, value) -> {
            canonicalHeaders.append(name).append(':').append(value).append('\n');
            signedHeaders.append(signedHeaders.length() == 0 ? "" : ";").append(name);
        });
        String canonicalRequest = method + '\n' + canonicalPath(uri) + '\n' + canonicalQuery(uri.getRawQuery()) + '\n'
                + canonicalHeaders + '\n' + signedHeaders + '\n' + payloadHash;
        String scope = amzDate.substring(0, 8) + '/' + region + '/' + service + "/aws4_request";
        String signature = signature(credentials, amzDate, scope, canonicalRequest);
        TreeMap<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        out.putAll(canonical);
        out.remove("host");
        out.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + '/' + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return out;
    }

    /** A presigned URL for {@code uri} (its query already encoded), signing only {@code Host}. */
    public URI presign(String method, URI uri, Duration expires, Credentials credentials, Instant now) {
        String amzDate = amzDate(now);
        String scope = amzDate.substring(0, 8) + '/' + region + '/' + service + "/aws4_request";
        StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        appendParameter(query, "X-Amz-Algorithm", ALGORITHM);
        appendParameter(query, "X-Amz-Credential", credentials.accessKeyId() + '/' + scope);
        appendParameter(query, "X-Amz-Date", amzDate);
        appendParameter(query, "X-Amz-Expires", Long.toString(expires.getSeconds()));
        if (credentials.sessionToken() != null) {
            appendParameter(query, "X-Amz-Security-Token", credentials.sessionToken());
        }
        appendParameter(query, "X-Amz-SignedHeaders", "host");
        String canonicalRequest = method + '\n' + canonicalPath(uri) + '\n' + canonicalQuery(query.toString()) + '\n'
                + "host:" + host(uri) + "\n\nhost\n" + UNSIGNED_PAYLOAD;
        appendParameter(query, "X-Amz-Signature", signature(credentials, amzDate, scope, canonicalRequest));
        String base = uri.toString();
        int q = base.indexOf('?');
        return URI.create((q < 0 ? base : base.substring(0, q)) + '?' + query);
    }

    private static void appendParameter(StringBuilder query, String name, String value) {
        query.append(query.length() == 0 ? "" : "&").append(encode(name, true)).append('=').append(encode(value, true));
    }

    private String signature(Credentials credentials, String amzDate, String scope, String canonicalRequest) {
        String stringToSign = ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + hex(sha256(canonicalRequest));
        return hex(hmac(signingKey(credentials.secretAccessKey(), amzDate.substring(0, 8)), stringToSign));
    }

    private synchronized byte[] signingKey(String secret, String date) {
        if (!date.equals(keyDate) || !secret.equals(keySecret)) {
            byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
            key = hmac(key, region);
            key = hmac(key, service);
            signingKey = hmac(key, "aws4_request");
            keyDate = date;
            keySecret = secret;
        }
        return signingKey;
    }

    /** {@code Host} as HttpURLConnection sends it: the port only when it is not the scheme's default. */
    static String host(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (port == 443 && "https".equals(uri.getScheme()))
                || (port == 80 && "http".equals(uri.getScheme()));
        return defaultPort ? uri.getHost() : uri.getHost() + ':' + port;
    }

    private static String canonicalPath(URI uri) {
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            pairs.add(eq < 0 ? new String[] {pair, ""} : new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] pair : pairs) {
            out.append(out.length() == 0 ? "" : "&").append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** RFC 3986 percent-encoding of UTF-8: unreserved characters kept, {@code /} kept unless asked. */
    public static String encode(String value, boolean encodeSlash) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    static String amzDate(Instant now) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(16);
        pad(out, t.getYear(), 4);
        pad(out, t.getMonthValue(), 2);
        pad(out, t.getDayOfMonth(), 2);
        out.append('T');
        pad(out, t.getHour(), 2);
        pad(out, t.getMinute(), 2);
        pad(out, t.getSecond(), 2);
        return out.append('Z').toString();
    }

    private static void pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }

    public static String sha256Hex(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, offset, length);
            return hex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
