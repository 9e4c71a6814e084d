package dev.longhaul.local;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The end-to-end suite with LocalStack (Testcontainers) as the backend. Without a Docker engine it
 * is skipped with the reason, before Testcontainers spends any time looking for one.
 */
class LocalStackLifecycleTest extends LifecycleSuite {

    private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4");

    private static LocalStackContainer localStack;
    private static LocalCloud cloud;
    private static String unavailable;

    @BeforeAll
    static void startLocalStack() {
        unavailable = dockerUnavailable();
        if (unavailable != null) {
            return;
        }
        localStack = new LocalStackContainer(IMAGE).withServices(LocalStackContainer.Service.DYNAMODB,
                LocalStackContainer.Service.SQS, LocalStackContainer.Service.S3);
        localStack.start();
        cloud = LocalCloud.start(TestClouds.longhaulOptions(Map.of(
                "AWS_ENDPOINT_URL", localStack.getEndpoint().toString(),
                "AWS_REGION", localStack.getRegion(),
                "AWS_ACCESS_KEY_ID", localStack.getAccessKey(),
                "AWS_SECRET_ACCESS_KEY", localStack.getSecretKey())).stackName("localstack").build());
    }

    /** Null when a Docker engine answers, else why not. */
    private static String dockerUnavailable() {
        boolean socket = Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"));
        if (System.getenv("DOCKER_HOST") == null && !socket) {
            return "no Docker engine: DOCKER_HOST is unset and there is no docker.sock, so LocalStack cannot run";
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? null
                    : "no Docker engine answered Testcontainers, so LocalStack cannot run";
        } catch (RuntimeException e) {
            return "Testcontainers found no usable Docker engine: " + e.getMessage();
        }
    }

    @AfterAll
    static void stopLocalStack() {
        if (cloud != null) {
            cloud.close();
        }
        if (localStack != null) {
            localStack.stop();
        }
    }

    @Override
    LocalCloud cloud() {
        assumeTrue(unavailable == null, unavailable);
        return cloud;
    }

    @Override
    String noPresignedUrlValidation() {
        // LocalStack validates presigned URLs only when S3_SKIP_SIGNATURE_VALIDATION=0.
        return "LocalStack skips S3 signature validation by default";
    }

    @Override
    String noTimeToLive() {
        return "LocalStack removes expired items only with DYNAMODB_REMOVE_EXPIRED_ITEMS=1 and hourly";
    }
}
