package dev.longhaul.core.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSRF guard, with a fake DNS for names and the real parser for literals. The tables walk the
 * IANA IPv4 and IPv6 special-purpose address registries (and the IPv6 address space registry:
 * only {@code 2000::/3} is global unicast), every IPv6 form that embeds an IPv4 address, and the
 * first public neighbour on each side of a refused range.
 */
class AddressTargetGuardTest {
    private static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"),
            "rebind.example.com", List.of("93.184.216.34", "10.0.0.7"),
            "internal.example.com", List.of("192.168.1.10"),
            "v6loop.example.com", List.of("::1"),
            "metadata.example.com", List.of("169.254.169.254"),
            "nat64.example.com", List.of("64:ff9b::a9fe:a9fe"));

    private static InetAddress[] fakeDns(String name) throws UnknownHostException {
        String host = name.toLowerCase(java.util.Locale.ROOT);
        List<String> records = DNS.get(host);
        if (records == null) {
            // literals and the real localhost go to the system's parser and resolver
            if (host.equals("localhost") || Character.isDigit(host.charAt(0)) || host.contains(":")) {
                return InetAddress.getAllByName(host);
            }
            throw new UnknownHostException(host);
        }
        InetAddress[] addresses = new InetAddress[records.size()];
        for (int i = 0; i < records.size(); i++) {
            addresses[i] = InetAddress.getByName(records.get(i));
        }
        return addresses;
    }

    private final AddressTargetGuard production = new AddressTargetGuard(AddressTargetGuardTest::fakeDns, false);
    private final AddressTargetGuard local = new AddressTargetGuard(AddressTargetGuardTest::fakeDns, true);

    private static String refusal(TargetGuard guard, String url) {
        return assertThrows(TargetRefusedException.class, () -> guard.check(url), url).getMessage();
    }

    private static String refused(String address) {
        return "resolves to " + address + ", which is not allowed";
    }

    @Test
    void publicHttpsTargetsPassWithTheAddressesTheyWereCheckedAt() throws Exception {
        CheckedTarget target = production.check("https://hooks.example.com/longhaul?x=1");
        assertEquals("hooks.example.com", target.uri().getHost());
        assertEquals(List.of(InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946")), target.addresses());
        assertEquals(new InetSocketAddress(InetAddress.getByName("93.184.216.34"), 443), target.socketAddress());
        assertDoesNotThrow(() -> production.check("https://93.184.216.34/hook"));
        assertDoesNotThrow(() -> production.check("https://93.184.216.34:443/hook"));
        assertDoesNotThrow(() -> production.check("https://[2606:2800:220:1:248:1893:25c8:1946]/hook"));
    }

    @Test
    void onlyHttpsInProduction() {
        assertEquals("must be an https URL", refusal(production, "http://hooks.example.com/"));
        assertEquals("must be an https URL", refusal(production, "ftp://hooks.example.com/"));
        assertEquals("must be an https URL", refusal(production, "/relative/path"));
        assertEquals("must be an https URL", refusal(production, "file:///etc/passwd"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com:8443/", "https://93.184.216.34:80/", "https://hooks.example.com:1/",
        "https://hooks.example.com:22/", "https://[2606:2800:220:1:248:1893:25c8:1946]:6379/", "https://hooks.example.com:0/"})
    void onlyPort443InProduction(String url) {
        assertEquals("must use port 443", refusal(production, url));
    }

    @Test
    void otherPortsOnlyWhenPrivateTargetsAreAllowed() throws Exception {
        assertEquals(8443, local.check("https://hooks.example.com:8443/").socketAddress().getPort());
        assertEquals(8080, local.check("http://127.0.0.1:8080/").socketAddress().getPort());
        assertEquals(80, local.check("http://127.0.0.1/").socketAddress().getPort());
    }

    @Test
    void malformedCredentialedOrOverlongUrlsAreRefused() {
        assertEquals("is not a valid URL", refusal(production, "https://hooks.example.com/a b"));
        assertEquals("must not contain credentials", refusal(production, "https://user:pw@hooks.example.com/"));
        assertEquals("must not contain a fragment", refusal(production, "https://hooks.example.com/#x"));
        assertTrue(refusal(production, "https://hooks.example.com/" + "a".repeat(2100)).contains("2048"));
        assertTrue(refusal(production, "").contains("absolute URL"));
        assertEquals("must name a host", refusal(production, "https:///path"));
        // not a host name for java.net.URI, whatever a resolver would make of it
        assertEquals("must name a host", refusal(production, "https://127.1/"));
        assertEquals("must name a host", refusal(local, "http://0x7f.1/"));
        assertEquals("names a host that does not resolve", refusal(production, "https://nowhere.invalid/"));
    }

    /** Every address here is refused in production and in the local cloud alike, with this reason. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # IPv4 special-purpose registry
        0.0.0.0                   | an unspecified address (0.0.0.0/8)
        0.1.2.3                   | an unspecified address (0.0.0.0/8)
        169.254.169.254           | a cloud metadata address (169.254.169.254/32)
        192.0.0.1                 | an IETF protocol-assignment address (192.0.0.0/24)
        192.0.0.9                 | an IETF protocol-assignment address (192.0.0.0/24)
        192.0.0.170               | an IETF protocol-assignment address (192.0.0.0/24)
        192.0.0.255               | an IETF protocol-assignment address (192.0.0.0/24)
        192.0.2.1                 | a documentation address (192.0.2.0/24)
        192.0.2.255               | a documentation address (192.0.2.0/24)
        198.51.100.7              | a documentation address (198.51.100.0/24)
        203.0.113.0               | a documentation address (203.0.113.0/24)
        203.0.113.255             | a documentation address (203.0.113.0/24)
        198.18.0.1                | a benchmarking address (198.18.0.0/15)
        198.19.255.255            | a benchmarking address (198.18.0.0/15)
        192.88.99.1               | a 6to4 relay anycast address (192.88.99.0/24)
        224.0.0.1                 | a multicast address (224.0.0.0/4)
        239.255.255.255           | a multicast address (224.0.0.0/4)
        240.0.0.1                 | a reserved address (240.0.0.0/4)
        254.255.255.255           | a reserved address (240.0.0.0/4)
        255.255.255.255           | a broadcast address (255.255.255.255/32)
        # IPv6 special-purpose registry
        [::]                      | an unspecified address (::/128)
        [fd00:ec2::254]           | a cloud metadata address (fd00:ec2::254/128)
        [::ffff:169.254.169.254]  | a cloud metadata address (169.254.169.254/32)
        [::ffff:0:7f00:1]         | an IPv4-translated address (::ffff:0:0:0/96)
        [::ffff:0:808:808]        | an IPv4-translated address (::ffff:0:0:0/96)
        [::127.0.0.1]             | an IPv4-compatible address (::/96)
        [::8.8.8.8]               | an IPv4-compatible address (::/96)
        [::2]                     | an IPv4-compatible address (::/96)
        [64:ff9b::a9fe:a9fe]      | a cloud metadata address (169.254.169.254/32) embedded in a NAT64 address (64:ff9b::/96)
        [64:ff9b::c000:201]       | a documentation address (192.0.2.0/24) embedded in a NAT64 address (64:ff9b::/96)
        [64:ff9b::ffff:ffff]      | a broadcast address (255.255.255.255/32) embedded in a NAT64 address (64:ff9b::/96)
        [64:ff9b:1::a9fe:a9fe]    | a local-use NAT64 address (64:ff9b:1::/48)
        [64:ff9b:1:ffff::808:808] | a local-use NAT64 address (64:ff9b:1::/48)
        [100::1]                  | a discard-only address (100::/64)
        [100::ffff:ffff:ffff:ffff] | a discard-only address (100::/64)
        [100:0:0:1::1]            | a dummy address (100:0:0:1::/64)
        [2001::1]                 | a Teredo address (2001::/32)
        [2001:0:4136:e378:8000:63bf:3fff:fdd2] | a Teredo address (2001::/32)
        [2001:1::1]               | an IETF protocol-assignment address (2001::/23)
        [2001:2::1]               | a benchmarking address (2001:2::/48)
        [2001:3::1]               | an IETF protocol-assignment address (2001::/23)
        [2001:10::1]              | an ORCHID address (2001:10::/28)
        [2001:20::1]              | an IETF protocol-assignment address (2001::/23)
        [2001:1ff:ffff::1]        | an IETF protocol-assignment address (2001::/23)
        [2001:db8::1]             | a documentation address (2001:db8::/32)
        [2001:db8:ffff:ffff::1]   | a documentation address (2001:db8::/32)
        [2002:a9fe:a9fe::1]       | a cloud metadata address (169.254.169.254/32) embedded in a 6to4 address (2002::/16)
        [2002:c000:201::1]        | a documentation address (192.0.2.0/24) embedded in a 6to4 address (2002::/16)
        [2002:e000:1::]           | a multicast address (224.0.0.0/4) embedded in a 6to4 address (2002::/16)
        [2002::1]                 | an unspecified address (0.0.0.0/8) embedded in a 6to4 address (2002::/16)
        [3fff::1]                 | a documentation address (3fff::/20)
        [3fff:fff:ffff::1]        | a documentation address (3fff::/20)
        [5f00::1]                 | an SRv6 SID address (5f00::/16)
        [fec0::1]                 | a site-local address (fec0::/10)
        [feff::1]                 | a site-local address (fec0::/10)
        [ff02::1]                 | a multicast address (ff00::/8)
        [ff0e::1]                 | a multicast address (ff00::/8)
        # the IPv6 address space registry: only 2000::/3 is global unicast
        [1::1]                    | a reserved address (outside 2000::/3)
        [64:ff9b:0:1::1]          | a reserved address (outside 2000::/3)
        [4000::1]                 | a reserved address (outside 2000::/3)
        [e000::1]                 | a reserved address (outside 2000::/3)
        """)
    void alwaysRefused(String host, String reason) {
        assertEquals(refused(reason), refusal(production, "https://" + host + "/hook"));
        assertEquals(refused(reason), refusal(local, "https://" + host + "/hook"));
        assertEquals(refused(reason), refusal(local, "http://" + host + ":8080/hook"));
    }

    /** Refused in production; the local cloud (private targets allowed) calls them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        127.0.0.1                 | a loopback address (127.0.0.0/8)
        127.255.255.254           | a loopback address (127.0.0.0/8)
        2130706433                | a loopback address (127.0.0.0/8)
        10.0.0.1                  | a private address (10.0.0.0/8)
        10.255.255.255            | a private address (10.0.0.0/8)
        172.16.0.1                | a private address (172.16.0.0/12)
        172.31.255.255            | a private address (172.16.0.0/12)
        192.168.0.1               | a private address (192.168.0.0/16)
        192.168.255.255           | a private address (192.168.0.0/16)
        169.254.0.1               | a link-local address (169.254.0.0/16)
        169.254.170.2             | a link-local address (169.254.0.0/16)
        100.64.0.1                | a shared (CGNAT) address (100.64.0.0/10)
        100.127.255.255           | a shared (CGNAT) address (100.64.0.0/10)
        [::1]                     | a loopback address (::1/128)
        [::ffff:127.0.0.1]        | a loopback address (127.0.0.0/8)
        [::ffff:10.1.2.3]         | a private address (10.0.0.0/8)
        [fc00::1]                 | a private address (fc00::/7)
        [fd12:3456::1]            | a private address (fc00::/7)
        [fe80::1]                 | a link-local address (fe80::/10)
        [febf::1]                 | a link-local address (fe80::/10)
        [64:ff9b::7f00:1]         | a loopback address (127.0.0.0/8) embedded in a NAT64 address (64:ff9b::/96)
        [64:ff9b::c0a8:101]       | a private address (192.168.0.0/16) embedded in a NAT64 address (64:ff9b::/96)
        [2002:7f00:1::]           | a loopback address (127.0.0.0/8) embedded in a 6to4 address (2002::/16)
        [2002:c0a8:101::1]        | a private address (192.168.0.0/16) embedded in a 6to4 address (2002::/16)
        [2002:6440:1::1]          | a shared (CGNAT) address (100.64.0.0/10) embedded in a 6to4 address (2002::/16)
        """)
    void refusedUnlessPrivateTargetsAreAllowed(String host, String reason) {
        assertEquals(refused(reason), refusal(production, "https://" + host + "/hook"));
        assertDoesNotThrow(() -> local.check("https://" + host + "/hook"));
        assertDoesNotThrow(() -> local.check("http://" + host + ":8080/hook"));
    }

    /** The first public addresses beside the refused ranges, and public IPv4 embedded in IPv6. */
    @ParameterizedTest
    @ValueSource(strings = {"1.0.0.0", "8.8.8.8", "9.255.255.255", "11.0.0.1", "100.63.255.255", "100.128.0.1",
        "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.1",
        "191.255.255.255", "192.0.1.255", "192.0.3.0", "192.31.196.1", "192.88.98.255", "192.88.100.0",
        "192.167.255.255", "192.169.0.1", "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0",
        "203.0.112.255", "203.0.114.0", "223.255.255.255",
        "[2606:2800:220:1:248:1893:25c8:1946]", "[2000::1]", "[2001:200::1]", "[2001:db7:ffff::1]", "[2001:db9::1]",
        "[2003::1]", "[3ffe:ffff::1]", "[3fff:1000::1]", "[2a00:1450:4001::1]", "[3ffe::1]",
        "[::ffff:8.8.8.8]", "[64:ff9b::808:808]", "[2002:808:808::1]"})
    void neighboursOfTheRefusedRangesPass(String host) {
        assertDoesNotThrow(() -> production.check("https://" + host + "/hook"));
    }

    @Test
    void namesAreJudgedByEveryAddressTheyResolveTo() {
        assertTrue(refusal(production, "https://localhost/hook").contains("loopback"));
        assertTrue(refusal(production, "https://LOCALHOST/hook").contains("loopback"));
        assertEquals(refused("a private address (192.168.0.0/16)"), refusal(production, "https://internal.example.com/"));
        assertEquals(refused("a loopback address (::1/128)"), refusal(production, "https://v6loop.example.com/"));
        assertEquals(refused("a cloud metadata address (169.254.169.254/32)"),
                refusal(production, "https://metadata.example.com/"));
        assertEquals(refused("a cloud metadata address (169.254.169.254/32) embedded in a NAT64 address (64:ff9b::/96)"),
                refusal(local, "https://nat64.example.com/"));
        // one public and one private address: refused, the client may get either
        assertEquals(refused("a private address (10.0.0.0/8)"), refusal(production, "https://rebind.example.com/"));
    }

    @Test
    void theAllowSwitchLetsHttpLoopbackAndPrivateTargetsThrough() {
        assertDoesNotThrow(() -> local.check("http://127.0.0.1:8080/hook"));
        assertDoesNotThrow(() -> local.check("http://localhost:8080/hook"));
        assertDoesNotThrow(() -> local.check("http://[::1]:8080/hook"));
        assertDoesNotThrow(() -> local.check("http://192.168.1.10/hook"));
        assertDoesNotThrow(() -> local.check("https://internal.example.com/"));
        assertDoesNotThrow(() -> local.check("http://10.0.0.1/"));
        assertDoesNotThrow(() -> local.check("http://169.254.10.10/"));
        assertEquals("must be an http or https URL", refusal(local, "gopher://127.0.0.1/"));
    }
}
