package dev.longhaul.aws.client;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** Sends one signed request and reads the whole response. */
public interface Transport {
    /**
     * @param headers every header to send but {@code Host} and {@code Content-Length}, which the
     *                transport derives from the URI and the body
     * @param body    the bytes to send, {@code null} for none
     */
    AwsResponse send(String method, URI uri, Map<String, String> headers, Body body) throws IOException;

    /** A slice of an array, sent as is; read again on every attempt, never copied. */
    record Body(byte[] bytes, int offset, int length) {
        public static Body of(byte[] bytes) {
            return new Body(bytes, 0, bytes.length);
        }
    }
}
