package dev.longhaul.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.testing.TestCertificate;
import dev.longhaul.core.testing.WebhookReceiver;
import dev.longhaul.core.webhook.AddressTargetGuard;
import dev.longhaul.core.webhook.CheckedTarget;
import dev.longhaul.core.webhook.WebhookSender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery connects to the address the guard checked, never to what the name resolves to
 * at connect time, and TLS still checks the certificate against (and sends SNI for) the URL's host
 * name. Receivers are real TLS servers on loopback with a certificate made for the test; the names
 * ({@code hooks.test}) resolve nowhere, so reaching them at all proves the checked address was used.
 */
class PinnedWebhookSenderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> HEADERS = Map.of("content-type", "application/json",
            "user-agent", "Longhaul-Webhooks/1", "webhook-id", "msg_1");
    private static final String BODY = "{\"type\":\"task.succeeded\"}";
    private static final InetAddress PUBLIC = address("93.184.216.34");

    private static TestCertificate certificate;
    private static WebhookReceiver receiver;
    private static WebhookReceiver internal;

    /** Every address the sender asked to connect to. */
    private final List<InetSocketAddress> connections = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        certificate = TestCertificate.create("dns:hooks.test", "dns:localhost");
        receiver = new WebhookReceiver(certificate.serverContext());
        internal = new WebhookReceiver(certificate.serverContext());
    }

    @AfterAll
    static void stop() {
        receiver.close();
        internal.close();
    }

    @BeforeEach
    void clear() {
        receiver.clear();
        internal.clear();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The network as the sender sees it: the public address stands for the receiver (on
     * loopback); every other address is itself. Records each connection asked for.
     */
    private PinnedWebhookSender sender() {
        return new PinnedWebhookSender(TIMEOUT, certificate.trustingClient(), checked -> {
            connections.add(checked);
            return checked.getAddress().equals(PUBLIC) ? receiver.address() : checked;
        });
    }

    private static CheckedTarget target(String url, InetAddress address) {
        return new CheckedTarget(URI.create(url), List.of(address));
    }

    @Test
    void postsToTheCheckedAddressWithTlsForTheHostName() {
        int port = receiver.address().getPort();
        WebhookSender.Response response = sender().post(target("https://hooks.test:" + port + "/hook?x=1",
                InetAddress.getLoopbackAddress()), HEADERS, BODY);

        assertEquals(new WebhookSender.Response(204, null), response);
        WebhookReceiver.Received received = receiver.received("/hook").get(0);
        assertEquals(BODY, received.body());
        assertEquals("hooks.test:" + port, received.headers().get("host"));
        assertEquals("Longhaul-Webhooks/1", received.headers().get("user-agent"));
        assertEquals("msg_1", received.headers().get("webhook-id"));
        assertEquals(List.of("hooks.test"), receiver.serverNames());
        assertEquals(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)), connections);
    }

    @Test
    void aCertificateForAnotherNameFailsTheDelivery() {
        int port = receiver.address().getPort();
        WebhookSender.Response response = sender().post(target("https://other.test:" + port + "/hook",
                InetAddress.getLoopbackAddress()), HEADERS, BODY);

        assertNull(response.statusCode());
        assertEquals("SSLHandshakeException", response.failure());
        assertTrue(receiver.received().isEmpty());
    }

    @Test
    void anUntrustedCertificateFailsTheDelivery() {
        int port = receiver.address().getPort();
        WebhookSender.Response response = new PinnedWebhookSender(TIMEOUT,
                (SSLSocketFactory) SSLSocketFactory.getDefault(), PinnedWebhookSender.DIRECT)
                .post(target("https://hooks.test:" + port + "/hook", InetAddress.getLoopbackAddress()), HEADERS, BODY);

        assertNull(response.statusCode());
        assertEquals("SSLHandshakeException", response.failure());
        assertTrue(receiver.received().isEmpty());
    }

    @Test
    void redirectsAndErrorsAreAnswersNotDeliveries() {
        receiver.answer("/moved", 307);
        receiver.answer("/broken", 500);
        int port = receiver.address().getPort();
        assertEquals(new WebhookSender.Response(307, null), sender().post(target("https://hooks.test:" + port + "/moved",
                InetAddress.getLoopbackAddress()), HEADERS, BODY));
        assertEquals(new WebhookSender.Response(500, null), sender().post(target("https://hooks.test:" + port + "/broken",
                InetAddress.getLoopbackAddress()), HEADERS, BODY));
        assertEquals(1, receiver.received("/moved").size(), "no redirect followed");
    }

    @Test
    void plainHttpIsPostedToTheCheckedAddressToo() {
        try (WebhookReceiver plain = new WebhookReceiver()) {
            int port = plain.address().getPort();
            WebhookSender.Response response = sender().post(target("http://hooks.test:" + port + "/hook",
                    InetAddress.getLoopbackAddress()), HEADERS, BODY);
            assertEquals(new WebhookSender.Response(204, null), response);
            assertEquals(BODY, plain.received("/hook").get(0).body());
        }
    }

    @Test
    void aRefusedConnectionIsAFailureNotAnException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        WebhookSender.Response response = new PinnedWebhookSender(TIMEOUT, certificate.trustingClient(),
                checked -> new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort))
                .post(target("https://hooks.test/hook", PUBLIC), HEADERS, BODY);
        assertNull(response.statusCode());
        assertEquals("ConnectException", response.failure());
    }

    /**
     * DNS rebinding in production: the name resolves to a public address when the guard checks it
     * and to loopback afterwards. The delivery goes to the public address it was checked at, over
     * port 443, and the resolver is not asked again.
     */
    @Test
    void aNameRebindingToLoopbackAfterTheCheckIsDeliveredToTheCheckedAddress() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        AddressTargetGuard guard = new AddressTargetGuard(host -> lookups.incrementAndGet() == 1
                ? new InetAddress[] {PUBLIC} : new InetAddress[] {InetAddress.getLoopbackAddress()}, false);

        CheckedTarget target = guard.check("https://hooks.test/hook");
        WebhookSender.Response response = sender().post(target, HEADERS, BODY);

        assertEquals(new WebhookSender.Response(204, null), response);
        assertEquals(List.of(new InetSocketAddress(PUBLIC, 443)), connections);
        assertEquals(1, lookups.get());
        assertEquals(List.of("hooks.test"), receiver.serverNames());
        assertEquals("hooks.test", receiver.received("/hook").get(0).headers().get("host"));
    }

    /**
     * The same with a loopback server to reach: {@code localhost} at the URL's port is a server on
     * loopback, which a sender resolving the name again would reach. It must get nothing.
     */
    @Test
    void aNameRebindingToLoopbackNeverReachesTheLoopbackServer() throws Exception {
        int port = internal.address().getPort();
        AtomicInteger lookups = new AtomicInteger();
        AddressTargetGuard guard = new AddressTargetGuard(host -> lookups.incrementAndGet() == 1
                ? new InetAddress[] {PUBLIC} : InetAddress.getAllByName("localhost"), true);

        CheckedTarget target = guard.check("https://localhost:" + port + "/hook");
        WebhookSender.Response response = sender().post(target, HEADERS, BODY);

        assertTrue(internal.received().isEmpty(), "the loopback server was reached");
        assertEquals(new WebhookSender.Response(204, null), response);
        assertEquals(1, receiver.received("/hook").size());
        assertEquals(List.of(new InetSocketAddress(PUBLIC, port)), connections);
    }
}
