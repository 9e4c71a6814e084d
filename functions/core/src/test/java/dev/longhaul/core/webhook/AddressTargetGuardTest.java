package dev.longhaul.core.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF guard, with a fake DNS for names and the real parser for literals. */
class AddressTargetGuardTest {
    private static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"),
            "rebind.example.com", List.of("93.184.216.34", "10.0.0.7"),
            "internal.example.com", List.of("192.168.1.10"),
            "v6loop.example.com", List.of("::1"),
            "metadata.example.com", List.of("169.254.169.254"));

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

    @Test
    void publicHttpsTargetsPass() throws TargetRefusedException {
        assertEquals("hooks.example.com", production.check("https://hooks.example.com/longhaul?x=1").getHost());
        assertDoesNotThrow(() -> production.check("https://93.184.216.34:8443/hook"));
        assertDoesNotThrow(() -> production.check("https://[2606:2800:220:1:248:1893:25c8:1946]/hook"));
    }

    @Test
    void onlyHttpsInProduction() {
        assertEquals("must be an https URL", refusal(production, "http://hooks.example.com/"));
        assertEquals("must be an https URL", refusal(production, "ftp://hooks.example.com/"));
        assertEquals("must be an https URL", refusal(production, "/relative/path"));
        assertEquals("must be an https URL", refusal(production, "file:///etc/passwd"));
    }

    @Test
    void malformedCredentialedOrOverlongUrlsAreRefused() {
        assertEquals("is not a valid URL", refusal(production, "https://hooks.example.com/a b"));
        assertEquals("must not contain credentials", refusal(production, "https://user:pw@hooks.example.com/"));
        assertEquals("must not contain a fragment", refusal(production, "https://hooks.example.com/#x"));
        assertTrue(refusal(production, "https://hooks.example.com/" + "a".repeat(2100)).contains("2048"));
        assertTrue(refusal(production, "").contains("absolute URL"));
        assertEquals("must name a host", refusal(production, "https:///path"));
        assertEquals("names a host that does not resolve", refusal(production, "https://nowhere.invalid/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
        "192.168.0.1", "192.168.255.255", "169.254.0.1", "169.254.169.254", "100.64.0.1", "100.127.255.255",
        "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.255", "255.255.255.255", "240.0.0.1",
        "[::1]", "[::]", "[fc00::1]", "[fd12:3456::1]", "[fe80::1]", "[febf::1]", "[ff02::1]", "[fd00:ec2::254]",
        "[::ffff:127.0.0.1]", "[::ffff:10.1.2.3]", "[::ffff:169.254.169.254]", "[::127.0.0.1]",
        "[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::]", "[2002:c0a8:101::1]", "[fec0::1]"})
    void forbiddenAddressesAreRefusedInProduction(String host) {
        String message = refusal(production, "https://" + host + "/hook");
        assertTrue(message.startsWith("resolves to "), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "11.0.0.1",
        "169.253.255.255", "192.169.0.1", "[2001:db9::1]", "[::ffff:8.8.8.8]"})
    void neighboursOfTheForbiddenRangesPass(String host) {
        assertDoesNotThrow(() -> production.check("https://" + host + "/hook"));
    }

    @Test
    void theKindOfAddressIsNamed() {
        assertEquals("resolves to a loopback address, which is not allowed",
                refusal(production, "https://127.0.0.1/"));
        assertEquals("resolves to a cloud metadata address, which is not allowed",
                refusal(production, "https://169.254.169.254/latest/meta-data"));
        assertEquals("resolves to a cloud metadata address, which is not allowed",
                refusal(production, "https://[fd00:ec2::254]/"));
        assertEquals("resolves to a private address, which is not allowed", refusal(production, "https://10.1.1.1/"));
        assertEquals("resolves to a link-local address, which is not allowed", refusal(production, "https://[fe80::1]/"));
        assertEquals("resolves to a shared (CGNAT) address, which is not allowed",
                refusal(production, "https://100.100.100.200/"));
    }

    @Test
    void namesAreJudgedByEveryAddressTheyResolveTo() {
        assertTrue(refusal(production, "https://localhost/hook").contains("loopback"));
        assertTrue(refusal(production, "https://LOCALHOST:8443/hook").contains("loopback"));
        assertTrue(refusal(production, "https://internal.example.com/").contains("private"));
        assertTrue(refusal(production, "https://v6loop.example.com/").contains("loopback"));
        assertTrue(refusal(production, "https://metadata.example.com/").contains("cloud metadata"));
        // one public and one private address: refused, the client may get either
        assertTrue(refusal(production, "https://rebind.example.com/").contains("private"));
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
    }

    @Test
    void theAllowSwitchStillRefusesMetadataUnspecifiedAndMulticastAndOtherSchemes() {
        assertTrue(refusal(local, "http://169.254.169.254/latest/meta-data").contains("cloud metadata"));
        assertTrue(refusal(local, "http://[fd00:ec2::254]/").contains("cloud metadata"));
        assertTrue(refusal(local, "http://metadata.example.com/").contains("cloud metadata"));
        assertTrue(refusal(local, "http://0.0.0.0:8080/").contains("unspecified"));
        assertTrue(refusal(local, "http://[::]:8080/").contains("unspecified"));
        assertTrue(refusal(local, "http://224.0.0.1/").contains("multicast"));
        assertEquals("must be an http or https URL", refusal(local, "gopher://127.0.0.1/"));
    }
}
