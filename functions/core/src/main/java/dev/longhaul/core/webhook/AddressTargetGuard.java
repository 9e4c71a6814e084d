package dev.longhaul.core.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The SSRF guard: only {@code https} URLs without credentials, whose host resolves to public
 * addresses only. Every address the name resolves to is checked, so a name with one public and
 * one private address is refused. Always refused: unspecified ({@code 0.0.0.0/8}, {@code ::}),
 * multicast, broadcast and reserved ranges, and the cloud metadata endpoints
 * ({@code 169.254.169.254}, {@code fd00:ec2::254}). Refused unless private targets are allowed
 * (the local cloud, where receivers listen on loopback): {@code http}, loopback, private
 * ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code fc00::/7}), link-local
 * ({@code 169.254/16}, {@code fe80::/10}) and CGNAT ({@code 100.64/10}). IPv4 addresses embedded
 * in IPv6 ones (mapped, compatible, NAT64, 6to4) are judged as the IPv4 address.
 */
public final class AddressTargetGuard implements TargetGuard {
    public static final int MAX_URL_LENGTH = 2048;

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
    public URI check(String url) throws TargetRefusedException {
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
                throw new TargetRefusedException("resolves to " + refusal + " address, which is not allowed");
            }
        }
        return uri;
    }

    /** Why this address may not be called ("a loopback"...), or null when it may. */
    String refusal(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                return refusalV4(embedded);
            }
            return refusalV6(b);
        }
        if (address instanceof Inet4Address) {
            return refusalV4(address.getAddress());
        }
        return "an unknown kind of";
    }

    private String refusalV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        int a3 = b[3] & 0xff;
        if (a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254) {
            return "a cloud metadata";
        }
        if (a0 == 0) {
            return "an unspecified";
        }
        if (a0 >= 224) {
            return a0 < 240 ? "a multicast" : "a reserved";
        }
        if ((a0 == 192 && a1 == 0 && a2 == 0) || (a0 == 198 && (a1 & 0xfe) == 18)) {
            return "a reserved";
        }
        if (allowPrivate) {
            return null;
        }
        if (a0 == 127) {
            return "a loopback";
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return "a private";
        }
        if (a0 == 169 && a1 == 254) {
            return "a link-local";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "a shared (CGNAT)";
        }
        return null;
    }

    private String refusalV6(byte[] b) {
        if (isFd00Ec2Metadata(b)) {
            return "a cloud metadata";
        }
        boolean allZeroButLast = true;
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                allZeroButLast = false;
                break;
            }
        }
        if (allZeroButLast && b[15] == 0) {
            return "an unspecified";
        }
        int first = b[0] & 0xff;
        if (first == 0xff) {
            return "a multicast";
        }
        if (allowPrivate) {
            return null;
        }
        if (allZeroButLast && b[15] == 1) {
            return "a loopback";
        }
        if ((first & 0xfe) == 0xfc) {
            return "a private";
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
            return "a link-local";
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return "a site-local";
        }
        return null;
    }

    private static boolean isFd00Ec2Metadata(byte[] b) {
        // fd00:ec2::254
        byte[] metadata = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
        return java.util.Arrays.equals(b, metadata);
    }

    /**
     * The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible
     * ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96}) or 6to4 ({@code 2002::/16}) address.
     */
    private static byte[] embeddedIpv4(byte[] b) {
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                zeros80 = false;
                break;
            }
        }
        if (zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (zeros80 && b[10] == 0 && b[11] == 0) {
            // ::a.b.c.d, except :: and ::1 which are judged as IPv6
            boolean small = b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xff) <= 1;
            return small ? null : new byte[] {b[12], b[13], b[14], b[15]};
        }
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (nat64) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }
}
