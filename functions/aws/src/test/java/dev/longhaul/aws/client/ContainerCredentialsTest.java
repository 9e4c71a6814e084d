package dev.longhaul.aws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SnapStart credential path against a real HTTP endpoint on loopback that speaks the
 * container credentials protocol: the token is sent, credentials are cached, and refreshed
 * once they are about to expire.
 */
class ContainerCredentialsTest {
    private HttpServer server;
    private final List<String> authorizations = new ArrayList<>();
    private volatile Instant expiration = Instant.now().plusSeconds(3600);
    private volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/creds", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ("{\"AccessKeyId\":\"ASIA" + authorizations.size() + "\",\"SecretAccessKey\":\"s\","
                    + "\"Token\":\"t\",\"Expiration\":\"" + expiration + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/creds";
    }

    @Test
    void fetchesOnceWithTheTokenAndCaches(@TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "file-token\n");
        ContainerCredentials source = new ContainerCredentials(uri(), null, tokenFile.toString());
        Credentials first = source.credentials();
        assertEquals("ASIA1", first.accessKeyId());
        assertEquals("t", first.sessionToken());
        assertEquals(first, source.credentials());
        assertEquals(List.of("file-token"), authorizations);
    }

    @Test
    void refreshesCredentialsAboutToExpire() {
        expiration = Instant.now().plusSeconds(60);
        ContainerCredentials source = new ContainerCredentials(uri(), "token", null);
        assertEquals("ASIA1", source.credentials().accessKeyId());
        assertEquals("ASIA2", source.credentials().accessKeyId());
        assertEquals(List.of("token", "token"), authorizations);
    }

    @Test
    void anErrorFromTheEndpointFailsClearly() {
        status = 500;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ContainerCredentials(uri(), "token", null).credentials());
        assertEquals("container credentials endpoint answered 500", e.getMessage());
    }
}
