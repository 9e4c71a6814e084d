package dev.longhaul.console;

import dev.longhaul.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's files, read from {@code console/} on the class path, and its config, answered to
 * {@code GET /console} and {@code GET /console/{proxy+}} with the security headers on every answer.
 */
public final class ConsoleSite {

    static final String ROOT = "/console";
    /** Names only: no {@code ..}, no dot files, no encoded characters; so nothing outside console/ is reachable. */
    private static final Pattern FILE = Pattern.compile("(?:[a-z0-9][a-z0-9-]*/)*[a-z0-9][a-z0-9.-]*\\.(html|js|css|svg|txt)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "txt", "text/plain; charset=utf-8");

    private final ConsoleConfig config;
    private final ClassLoader loader;
    private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();
    private final File configFile;

    public ConsoleSite(ConsoleConfig config) {
        this(config, ConsoleSite.class.getClassLoader());
    }

    ConsoleSite(ConsoleConfig config, ClassLoader loader) {
        this.config = config;
        this.loader = loader;
        this.configFile = File.of("application/json", Json.write(config.toJson()).getBytes(StandardCharsets.UTF_8));
    }

    /** A response: status, headers, UTF-8 text body (every file of the console is text). */
    public record Response(int status, Map<String, String> headers, String body) {
        public Response {
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        Response with(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, more, body);
        }
    }

    public Response serve(String method, String path, String ifNoneMatch) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return text(405, "Method not allowed").with("Allow", "GET, HEAD");
        }
        if (path.equals(ROOT)) {
            return text(301, "Moved").with("Location", ROOT + "/");
        }
        if (!path.startsWith(ROOT + "/")) {
            return notFound();
        }
        String name = path.substring(ROOT.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        Optional<File> file = name.equals("config.json") ? Optional.of(configFile) : file(name);
        if (file.isEmpty()) {
            return notFound();
        }
        File found = file.get();
        Map<String, String> headers = headers(found.contentType());
        headers.put("ETag", found.etag());
        if (ifNoneMatch != null && ifNoneMatch.contains(found.etag())) {
            return new Response(304, headers, "");
        }
        return new Response(200, headers, method.equals("HEAD") ? "" : new String(found.bytes(), StandardCharsets.UTF_8));
    }

    private Optional<File> file(String name) {
        if (!FILE.matcher(name).matches()) {
            return Optional.empty();
        }
        return files.computeIfAbsent(name, this::load);
    }

    private Optional<File> load(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        try (InputStream in = loader.getResourceAsStream("console/" + name)) {
            return in == null ? Optional.empty() : Optional.of(File.of(TYPES.get(extension), in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console/" + name, e);
        }
    }

    private Response notFound() {
        return text(404, "Not found");
    }

    private Response text(int status, String message) {
        return new Response(status, headers("text/plain; charset=utf-8"), message);
    }

    private Map<String, String> headers(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        // revalidate every time (the ETag makes that cheap): a deploy is seen at the next load
        headers.put("Cache-Control", "no-cache");
        headers.put("Content-Security-Policy", config.contentSecurityPolicy());
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        // the OIDC code comes back in the query string: never pass the URL on
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        return headers;
    }

    private record File(String contentType, byte[] bytes, String etag) {
        static File of(String contentType, byte[] bytes) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return new File(contentType, bytes,
                        "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is unavailable", e);
            }
        }
    }
}
