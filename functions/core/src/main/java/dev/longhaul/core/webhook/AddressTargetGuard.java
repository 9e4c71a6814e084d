package dev.longhaul.core.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The SSRF guard: only {@code https} URLs on port 443 without credentials, whose host resolves
 * to globally reachable addresses only. Every address the name resolves to is checked, so a name
 * with one public and one private address is refused, and the delivery connects to the checked
 * addresses ({@link CheckedTarget}), never resolving the name again.
 *
 * <p>The address rules follow the IANA IPv4 and IPv6 special-purpose address registries: every
 * block that is not globally reachable is refused, and for IPv6 everything outside
 * {@code 2000::/3} (the only global unicast space). IPv6 forms that carry an IPv4 address are
 * judged by it where the IPv4 address is what gets reached (IPv4-mapped, the well-known NAT64
 * prefix {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}); those that are not globally reachable
 * themselves (IPv4-compatible, IPv4-translated, local-use NAT64, Teredo) are refused outright.
 * The whole of {@code 2001::/23} is refused, including its few globally reachable anycast and
 * ORCHIDv2 blocks: none of them is a web server.
 *
 * <p>{@code WEBHOOK_ALLOW_PRIVATE_TARGETS} (the local cloud, where receivers listen on loopback)
 * also allows {@code http}, any port, loopback, private ({@code 10/8}, {@code 172.16/12},
 * {@code 192.168/16}, {@code fc00::/7}), link-local and CGNAT addresses; everything else, the
 * cloud metadata endpoints included, stays refused.
 */
public final class AddressTargetGuard implements TargetGuard {
    public static final int MAX_URL_LENGTH = 2048;
    private static final int HTTPS_PORT = 443;

    /** Name resolution, replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;
    private final boolean allowPrivate;

    public AddressTargetGuard(Resolver resolver, boolean allowPrivate) {
        this.resolver = resolver;
        this.allowPrivate = allowPrivate;
    }

    /** The variable that lets the local cloud call {@code http} and loopback or private receivers. */
    public static final String ALLOW_PRIVATE_VARIABLE = "WEBHOOK_ALLOW_PRIVATE_TARGETS";

    /** The guard configured by {@value #ALLOW_PRIVATE_VARIABLE} ({@code true} or {@code false}, default false). */
    public static AddressTargetGuard fromEnvironment(dev.longhaul.core.config.Environment env) {
        String value = env.optional(ALLOW_PRIVATE_VARIABLE, "false").trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalStateException("environment variable " + ALLOW_PRIVATE_VARIABLE + " must be true or false");
        }
        return create(Boolean.parseBoolean(value));
    }

    public boolean allowsPrivateTargets() {
        return allowPrivate;
    }

    /** The guard resolving names with the system resolver. */
    public static AddressTargetGuard create(boolean allowPrivate) {
        return new AddressTargetGuard(InetAddress::getAllByName, allowPrivate);
    }

    @Override
    public CheckedTarget check(String url) throws TargetRefusedException {
        if (url == null || url.isEmpty() || url.length() > MAX_URL_LENGTH) {
            throw new TargetRefusedException("must be an absolute URL of at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new TargetRefusedException("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
            throw new TargetRefusedException(allowPrivate ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new TargetRefusedException("must not contain credentials");
        }
        if (uri.getRawFragment() != null) {
            throw new TargetRefusedException("must not contain a fragment");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new TargetRefusedException("must name a host");
        }
        if (!allowPrivate && uri.getPort() != -1 && uri.getPort() != HTTPS_PORT) {
            throw new TargetRefusedException("must use port " + HTTPS_PORT);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new TargetRefusedException("names a host that does not resolve");
        } catch (SecurityException e) {
            throw new TargetRefusedException("names a host that cannot be resolved");
        }
        if (addresses == null || addresses.length == 0) {
            throw new TargetRefusedException("names a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new TargetRefusedException("resolves to " + refusal + ", which is not allowed");
            }
        }
        return new CheckedTarget(uri, List.of(addresses));
    }

    /** Why this address may not be called ("a loopback address (127.0.0.0/8)"...), or null when it may. */
    String refusal(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return refusalV4(b);
        }
        if (b.length == 16) {
            return refusalV6(b);
        }
        return "an unknown kind of address";
    }

    private String refusalV4(byte[] b) {
        Block block = Block.find(IPV4, b);
        return block == null || (allowPrivate && block.scope() == Scope.PRIVATE) ? null : block.description();
    }

    private String refusalV6(byte[] b) {
        Block block = Block.find(IPV6, b);
        if (block == null) {
            return (b[0] & 0xe0) == 0x20 ? null : "a reserved address (outside 2000::/3)";
        }
        if (block.scope() == Scope.EMBEDS_IPV4) {
            String embedded = refusalV4(Arrays.copyOfRange(b, block.ipv4At(), block.ipv4At() + 4));
            return embedded == null ? null : embedded + " embedded in " + block.description();
        }
        return allowPrivate && block.scope() == Scope.PRIVATE ? null : block.description();
    }

    private enum Scope {
        /** Never called. */
        REFUSED,
        /** Called only when private targets are allowed. */
        PRIVATE,
        /** Judged by the IPv4 address it carries. */
        EMBEDS_IPV4
    }

    /** An address block of the registries; the first block of its table that matches wins. */
    private record Block(byte[] prefix, int bits, String description, Scope scope, int ipv4At) {

        static Block of(String cidr, String kind, Scope scope) {
            return of(cidr, kind, scope, -1);
        }

        /**
         * @param kind   what the block is, with its article ("a loopback")
         * @param ipv4At where the embedded IPv4 address starts, in bytes
         */
        static Block of(String cidr, String kind, Scope scope, int ipv4At) {
            int slash = cidr.indexOf('/');
            String literal = cidr.substring(0, slash);
            byte[] prefix = parseLiteral(literal);
            if (literal.contains(":") && prefix.length == 4) {
                // the JDK turns ::ffff:a.b.c.d into an IPv4 address
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(prefix, 0, mapped, 12, 4);
                prefix = mapped;
            }
            return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)),
                    kind + " address (" + cidr + ")", scope, ipv4At);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }

        static Block find(List<Block> table, byte[] address) {
            for (Block block : table) {
                if (block.contains(address)) {
                    return block;
                }
            }
            return null;
        }

        private static byte[] parseLiteral(String literal) {
            try {
                return InetAddress.getByName(literal).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(literal, e);
            }
        }
    }

    /** The IPv4 special-purpose registry's blocks that are not globally reachable, and multicast. */
    private static final List<Block> IPV4 = List.of(
            Block.of("169.254.169.254/32", "a cloud metadata", Scope.REFUSED),
            Block.of("0.0.0.0/8", "an unspecified", Scope.REFUSED),
            Block.of("127.0.0.0/8", "a loopback", Scope.PRIVATE),
            Block.of("10.0.0.0/8", "a private", Scope.PRIVATE),
            Block.of("172.16.0.0/12", "a private", Scope.PRIVATE),
            Block.of("192.168.0.0/16", "a private", Scope.PRIVATE),
            Block.of("169.254.0.0/16", "a link-local", Scope.PRIVATE),
            Block.of("100.64.0.0/10", "a shared (CGNAT)", Scope.PRIVATE),
            Block.of("192.0.0.0/24", "an IETF protocol-assignment", Scope.REFUSED),
            Block.of("192.0.2.0/24", "a documentation", Scope.REFUSED),
            Block.of("198.51.100.0/24", "a documentation", Scope.REFUSED),
            Block.of("203.0.113.0/24", "a documentation", Scope.REFUSED),
            Block.of("198.18.0.0/15", "a benchmarking", Scope.REFUSED),
            Block.of("192.88.99.0/24", "a 6to4 relay anycast", Scope.REFUSED),
            Block.of("224.0.0.0/4", "a multicast", Scope.REFUSED),
            Block.of("255.255.255.255/32", "a broadcast", Scope.REFUSED),
            Block.of("240.0.0.0/4", "a reserved", Scope.REFUSED));

    /**
     * The IPv6 special-purpose registry's blocks, site-local and multicast; addresses outside
     * {@code 2000::/3} that match none of them are refused as reserved.
     */
    private static final List<Block> IPV6 = List.of(
            Block.of("fd00:ec2::254/128", "a cloud metadata", Scope.REFUSED),
            Block.of("::/128", "an unspecified", Scope.REFUSED),
            Block.of("::1/128", "a loopback", Scope.PRIVATE),
            Block.of("::ffff:0:0/96", "an IPv4-mapped", Scope.EMBEDS_IPV4, 12),
            Block.of("::ffff:0:0:0/96", "an IPv4-translated", Scope.REFUSED),
            Block.of("::/96", "an IPv4-compatible", Scope.REFUSED),
            Block.of("64:ff9b::/96", "a NAT64", Scope.EMBEDS_IPV4, 12),
            Block.of("64:ff9b:1::/48", "a local-use NAT64", Scope.REFUSED),
            Block.of("100::/64", "a discard-only", Scope.REFUSED),
            Block.of("100:0:0:1::/64", "a dummy", Scope.REFUSED),
            Block.of("2001::/32", "a Teredo", Scope.REFUSED),
            Block.of("2001:2::/48", "a benchmarking", Scope.REFUSED),
            Block.of("2001:10::/28", "an ORCHID", Scope.REFUSED),
            Block.of("2001::/23", "an IETF protocol-assignment", Scope.REFUSED),
            Block.of("2001:db8::/32", "a documentation", Scope.REFUSED),
            Block.of("2002::/16", "a 6to4", Scope.EMBEDS_IPV4, 2),
            Block.of("3fff::/20", "a documentation", Scope.REFUSED),
            Block.of("5f00::/16", "an SRv6 SID", Scope.REFUSED),
            Block.of("fc00::/7", "a private", Scope.PRIVATE),
            Block.of("fe80::/10", "a link-local", Scope.PRIVATE),
            Block.of("fec0::/10", "a site-local", Scope.REFUSED),
            Block.of("ff00::/8", "a multicast", Scope.REFUSED));
}
