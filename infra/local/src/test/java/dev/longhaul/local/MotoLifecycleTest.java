package dev.longhaul.local;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The end-to-end suite with moto's server as the backend ({@code python3 -m moto.server}), started
 * on a free port for this class: the local cloud reaches it through {@code AWS_ENDPOINT_URL}, as it
 * would LocalStack or an account. Skipped, with the reason, when moto is not installed or does not start.
 */
class MotoLifecycleTest extends LifecycleSuite {

    private static Process moto;
    private static LocalCloud cloud;
    private static String unavailable;

    @BeforeAll
    static void startMoto() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("moto", ".log");
        try {
            moto = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            unavailable = "python3 cannot be run: " + e.getMessage();
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!accepts(port)) {
            if (!moto.isAlive() || System.nanoTime() > deadline) {
                unavailable = "moto's server did not start (python3 -m moto.server): "
                        + Files.readString(log).lines().reduce((a, b) -> b).orElse("no output");
                moto.destroy();
                moto = null;
                return;
            }
            Thread.sleep(100);
        }
        String endpoint = "http://127.0.0.1:" + port;
        cloud = LocalCloud.start(TestClouds.longhaulOptions(Map.of(
                "AWS_ENDPOINT_URL", endpoint,
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "moto",
                "AWS_SECRET_ACCESS_KEY", "moto")).stackName("moto").build());
    }

    @AfterAll
    static void stopMoto() throws InterruptedException {
        if (cloud != null) {
            cloud.close();
        }
        if (moto != null) {
            moto.destroy();
            if (!moto.waitFor(5, TimeUnit.SECONDS)) {
                moto.destroyForcibly();
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    LocalCloud cloud() {
        assumeTrue(unavailable == null, unavailable);
        return cloud;
    }

    @Override
    String noPresignedUrlValidation() {
        return "moto does not validate presigned URLs: a tampered URL still downloads";
    }

    @Override
    String noTimeToLive() {
        return "moto deletes nothing by TTL";
    }
}
