package dev.longhaul.core.webhook;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * A URL the {@link TargetGuard} accepted, with every address its host resolved to when it was
 * checked. A delivery connects to {@link #socketAddress()} and never resolves the name again, so
 * a DNS answer that changes between the check and the connection (rebinding) cannot send it
 * elsewhere; TLS still verifies the certificate against the URL's host name.
 *
 * @param addresses the checked addresses, in the resolver's order; never empty
 */
public record CheckedTarget(URI uri, List<InetAddress> addresses) {

    public CheckedTarget {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a checked target has at least one address");
        }
    }

    /** The URL's port, or its scheme's default. */
    public int port() {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "http".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 80 : 443;
    }

    /** Where to connect: the first checked address (the one the JDK's resolver would have picked). */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(addresses.get(0), port());
    }
}
