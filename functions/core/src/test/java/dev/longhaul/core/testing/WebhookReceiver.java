package dev.longhaul.core.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * A real webhook receiver on loopback: records every request and answers each path's status.
 * The TLS one also records the server name (SNI) each handshake asked for.
 */
public final class WebhookReceiver implements AutoCloseable {
    public record Received(String path, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> serverNames = new ArrayList<>();

    /** Plain HTTP. */
    public WebhookReceiver() {
        this(null);
    }

    /** HTTPS with the context's certificate, when {@code tls} is not null. */
    public WebhookReceiver(SSLContext tls) {
        try {
            InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
            if (tls == null) {
                server = HttpServer.create(loopback, 0);
            } else {
                HttpsServer https = HttpsServer.create(loopback, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                    @Override
                    public void configure(HttpsParameters parameters) {
                        SSLParameters ssl = tls.getDefaultSSLParameters();
                        ssl.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                            @Override
                            public boolean matches(SNIServerName name) {
                                synchronized (serverNames) {
                                    serverNames.add(new String(name.getEncoded(), StandardCharsets.US_ASCII));
                                }
                                return true;
                            }
                        }));
                        parameters.setSSLParameters(ssl);
                    }
                });
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            String path = exchange.getRequestURI().getPath();
            synchronized (received) {
                received.add(new Received(path, headers, body));
            }
            exchange.sendResponseHeaders(statuses.getOrDefault(path, 204), -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The SNI host names the TLS handshakes so far asked for. */
    public List<String> serverNames() {
        synchronized (serverNames) {
            return List.copyOf(serverNames);
        }
    }

    /** Every request received, whatever its path. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public void answer(String path, int status) {
        statuses.put(path, status);
    }

    public List<Received> received(String path) {
        synchronized (received) {
            return received.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    public void clear() {
        synchronized (received) {
            received.clear();
        }
        synchronized (serverNames) {
            serverNames.clear();
        }
        statuses.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
