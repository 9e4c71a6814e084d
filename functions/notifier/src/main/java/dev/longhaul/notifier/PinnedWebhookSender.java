package dev.longhaul.notifier;

import dev.longhaul.core.webhook.CheckedTarget;
import dev.longhaul.core.webhook.WebhookSender;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Posts deliveries with the JDK's {@code HttpsURLConnection} to the address the guard checked,
 * never resolving the host name again: its socket factory hands the connection an unconnected
 * socket that connects to {@link CheckedTarget#socketAddress()} whatever name it is asked for,
 * then layers TLS over it for the URL's host name, so the certificate is verified against that
 * name and SNI carries it. (The JDK's {@code java.net.http.HttpClient} has no such hook.) No
 * redirect is followed (a redirect could point past the guard, and counts as a failed attempt),
 * no proxy, no connection reuse, a connect and a read timeout; the response body is left unread.
 *
 * <p>Plain {@code http}, allowed only with {@code WEBHOOK_ALLOW_PRIVATE_TARGETS} (the local
 * cloud), has no socket factory: it is posted to the checked address written as the URL's host,
 * so its {@code Host} header names the address.
 */
public final class PinnedWebhookSender implements WebhookSender {

    /** Where the connection to a checked address goes: itself, except in tests. */
    @FunctionalInterface
    public interface Route {
        InetSocketAddress endpoint(InetSocketAddress checked);
    }

    public static final Route DIRECT = checked -> checked;

    private final int timeoutMillis;
    private final SSLSocketFactory tls;
    private final Route route;

    /** With the JDK's default trust store. */
    public PinnedWebhookSender(Duration timeout) {
        this(timeout, (SSLSocketFactory) SSLSocketFactory.getDefault(), DIRECT);
    }

    public PinnedWebhookSender(Duration timeout, SSLSocketFactory tls, Route route) {
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        this.tls = tls;
        this.route = route;
    }

    @Override
    public Response post(CheckedTarget target, Map<String, String> headers, String body) {
        HttpURLConnection connection = null;
        try {
            connection = open(target);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            connection.setFixedLengthStreamingMode(bytes.length);
            headers.forEach(connection::setRequestProperty);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
            return new Response(connection.getResponseCode(), null);
        } catch (IOException e) {
            return new Response(null, e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            return new Response(null, "invalid request");
        } finally {
            if (connection != null) {
                // closes the socket: a connection to a checked address is never reused
                connection.disconnect();
            }
        }
    }

    private HttpURLConnection open(CheckedTarget target) throws IOException {
        URI uri = target.uri();
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            HttpsURLConnection https = (HttpsURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            // a factory per delivery: the JDK keys its connection cache on it, so nothing is shared
            https.setSSLSocketFactory(new PinnedSocketFactory(tls, route.endpoint(target.socketAddress())));
            return https;
        }
        if (scheme.equals("http")) {
            InetSocketAddress endpoint = route.endpoint(target.socketAddress());
            String file = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                file += "?" + uri.getRawQuery();
            }
            URL literal = new URL("http", hostLiteral(endpoint.getAddress()), endpoint.getPort(), file);
            return (HttpURLConnection) literal.openConnection(Proxy.NO_PROXY);
        }
        throw new IllegalArgumentException("not an http or https URL");
    }

    private static String hostLiteral(InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        return text.contains(":") ? "[" + text + "]" : text;
    }

    /**
     * Gives {@code HttpsURLConnection} an unconnected socket that connects to the checked address
     * (the address the connection resolved from the name is ignored), then TLS for the host name.
     * It asks for nothing else; the connected-socket factory methods refuse, so a JDK that took
     * another path would fail the delivery instead of resolving the name.
     */
    private static final class PinnedSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory tls;
        private final InetSocketAddress endpoint;

        PinnedSocketFactory(SSLSocketFactory tls, InetSocketAddress endpoint) {
            this.tls = tls;
            this.endpoint = endpoint;
        }

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress resolvedFromTheName, int timeout) throws IOException {
                    super.connect(endpoint, timeout);
                }
            };
        }

        @Override
        public Socket createSocket(Socket connected, String host, int port, boolean autoClose) throws IOException {
            SSLSocket socket = (SSLSocket) tls.createSocket(connected, host, port, autoClose);
            // the certificate must name the URL's host, whatever the JDK's default verifier is
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw unsupported();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            throw unsupported();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            throw unsupported();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            throw unsupported();
        }

        private static SocketException unsupported() {
            return new SocketException("only the unconnected socket to the checked address is offered");
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tls.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return tls.getSupportedCipherSuites();
        }
    }
}
