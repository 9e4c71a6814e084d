package dev.longhaul.aws.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The JDK's {@link HttpURLConnection}: already in every JVM, no thread pool, connections kept
 * alive and reused between invocations once a response is read to the end. The TLS context is
 * built at construction, at init (before a SnapStart snapshot), not on the first request.
 */
public final class UrlConnectionTransport implements Transport {
    private static final String USER_AGENT = "longhaul/0.1 (own SigV4 client; java "
            + System.getProperty("java.specification.version") + ")";
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final SSLSocketFactory tls;

    /** @param tls the TLS sockets to use, or null for the JVM's default (the JDK trust store) */
    public UrlConnectionTransport(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls) {
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.readTimeoutMillis = (int) readTimeout.toMillis();
        // loads the trust store now, as an SDK HTTP client does when it is built
        this.tls = tls != null ? tls : HttpsURLConnection.getDefaultSSLSocketFactory();
    }

    public UrlConnectionTransport() {
        this(Duration.ofSeconds(2), Duration.ofSeconds(30), null);
    }

    @Override
    public AwsResponse send(String method, URI uri, Map<String, String> headers, Body body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        if (connection instanceof HttpsURLConnection) {
            ((HttpsURLConnection) connection).setSSLSocketFactory(tls);
        }
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(connectTimeoutMillis);
            connection.setReadTimeout(readTimeoutMillis);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("User-Agent", USER_AGENT);
            connection.setRequestProperty("Accept", "*/*");
            headers.forEach(connection::setRequestProperty);
            if (body != null || method.equals("PUT") || method.equals("POST")) {
                int length = body == null ? 0 : body.length();
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(length);
                try (OutputStream out = connection.getOutputStream()) {
                    if (length > 0) {
                        out.write(body.bytes(), body.offset(), length);
                    }
                }
            }
            int status = connection.getResponseCode();
            byte[] bytes;
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                // read to the end, so the connection goes back to the keep-alive cache
                bytes = in == null ? new byte[0] : in.readAllBytes();
            }
            Map<String, List<String>> responseHeaders = new HashMap<>();
            connection.getHeaderFields().forEach((name, values) -> {
                if (name != null) {
                    responseHeaders.put(name.toLowerCase(Locale.ROOT), values);
                }
            });
            return new AwsResponse(status, responseHeaders, bytes);
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
    }
}
