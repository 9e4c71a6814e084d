package dev.longhaul.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmulatorsTest {

    @Test
    void sharedEmulatorsAreStartedOncePerJvm() {
        assertSame(Emulators.shared(), Emulators.shared());
    }

    @Test
    void environmentPointsTheStandardSdkVariablesAtTheEmulators() {
        Emulators emulators = Emulators.shared();
        Map<String, String> environment = emulators.environment();

        assertEquals("us-east-1", environment.get("AWS_REGION"));
        assertEquals(emulators.accessKeyId(), environment.get("AWS_ACCESS_KEY_ID"));
        assertEquals(emulators.secretAccessKey(), environment.get("AWS_SECRET_ACCESS_KEY"));
        assertEquals(emulators.dynamoDbEndpoint().toString(), environment.get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertEquals(emulators.sqsEndpoint().toString(), environment.get("AWS_ENDPOINT_URL_SQS"));
        assertEquals(emulators.s3Endpoint().toString(), environment.get("AWS_ENDPOINT_URL_S3"));
        assertEquals(emulators.kmsEndpoint().toString(), environment.get("AWS_ENDPOINT_URL_KMS"));
        for (URI endpoint : List.of(emulators.dynamoDbEndpoint(), emulators.sqsEndpoint(), emulators.s3Endpoint(),
                emulators.kmsEndpoint())) {
            assertEquals("127.0.0.1", endpoint.getHost(), endpoint.toString());
        }
    }

    @Test
    void closeStopsThemAll() throws IOException {
        Emulators own = Emulators.start();
        List<URI> endpoints = List.of(own.dynamoDbEndpoint(), own.sqsEndpoint(), own.s3Endpoint(), own.kmsEndpoint());
        assertNotEquals(Emulators.shared().dynamoDbEndpoint(), own.dynamoDbEndpoint());
        for (URI endpoint : endpoints) {
            new Socket(endpoint.getHost(), endpoint.getPort()).close();
        }

        own.close();

        for (URI endpoint : endpoints) {
            assertThrows(IOException.class, () -> new Socket(endpoint.getHost(), endpoint.getPort()).close(),
                    endpoint + " still listening");
        }
    }
}
