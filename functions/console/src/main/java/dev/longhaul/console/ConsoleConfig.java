package dev.longhaul.console;

import dev.longhaul.core.config.Environment;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the console signs users in, from the function's environment: OIDC authorization code with
 * PKCE against {@code CONSOLE_ISSUER} as {@code CONSOLE_CLIENT_ID} on AWS; the local cloud's
 * development tokens when {@code AWS_SAM_LOCAL} is {@code true} (set by the local cloud, as by
 * {@code sam local}; never by Lambda).
 *
 * @param authOrigins origins besides the page's and the issuer's the sign-in may call (a token
 *                    endpoint on another host, such as a Cognito domain), from {@code CONSOLE_AUTH_ORIGINS}
 */
public record ConsoleConfig(String issuer, String clientId, List<String> authOrigins, boolean development) {

    public ConsoleConfig {
        authOrigins = List.copyOf(authOrigins);
    }

    public static ConsoleConfig from(Environment environment) {
        String issuer = environment.optional("CONSOLE_ISSUER", null);
        List<String> origins = new ArrayList<>();
        for (String origin : environment.optional("CONSOLE_AUTH_ORIGINS", "").trim().split("[\\s,]+")) {
            if (!origin.isEmpty()) {
                origins.add(origin(origin, "CONSOLE_AUTH_ORIGINS"));
            }
        }
        if (issuer != null) {
            origin(issuer, "CONSOLE_ISSUER");
        }
        return new ConsoleConfig(issuer, environment.optional("CONSOLE_CLIENT_ID", null), origins,
                "true".equalsIgnoreCase(environment.optional("AWS_SAM_LOCAL", "false")));
    }

    /** {@code https://host[:port]} of an https URL; anything else is a configuration error. */
    static String origin(String url, String variable) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable " + variable + " must hold https URLs");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalStateException("environment variable " + variable + " must hold https URLs");
        }
        return "https://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** What {@code GET /console/config.json} answers: everything the page needs to sign in. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("signIn", development ? "development" : "oidc");
        json.put("issuer", issuer);
        json.put("clientId", clientId);
        json.put("scope", "openid");
        // the API is the HTTP API the page is served from
        json.put("apiBase", "");
        return json;
    }

    /**
     * The page may load scripts, styles and images from itself only, and call the API (itself) and
     * the identity provider; it runs no inline script, cannot be framed, and no string reaches a
     * DOM sink as HTML (Trusted Types with no policy).
     */
    String contentSecurityPolicy() {
        List<String> connect = new ArrayList<>();
        connect.add("'self'");
        if (!development && issuer != null) {
            connect.add(origin(issuer, "CONSOLE_ISSUER"));
        }
        authOrigins.stream().filter(o -> !connect.contains(o)).forEach(connect::add);
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src " + String.join(" ", connect) + "; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";
    }
}
