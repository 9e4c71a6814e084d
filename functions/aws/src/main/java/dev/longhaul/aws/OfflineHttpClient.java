package dev.longhaul.aws;

import dev.longhaul.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that sends nothing: it reads each request body (so streaming and checksums run)
 * and answers 200 with an empty JSON object for the JSON protocols and an empty body otherwise.
 * SQS's SendMessage gets the MD5 of its body back, which the SQS client checks.
 */
final class OfflineHttpClient implements SdkHttpClient {

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                byte[] body = new byte[0];
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        body = in.readAllBytes();
                    }
                }
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null);
                String answer = target == null ? "" : jsonAnswer(target, body);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder()
                                .statusCode(200)
                                .putHeader("Content-Type", target == null ? "application/xml" : "application/x-amz-json-1.0")
                                .putHeader("x-amzn-RequestId", "offline")
                                .putHeader("ETag", "\"offline\"")
                                .build())
                        .responseBody(AbortableInputStream.create(
                                new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8))))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    private static String jsonAnswer(String target, byte[] body) {
        if (!target.endsWith(".SendMessage")) {
            return "{}";
        }
        Object message = Json.parseObject(new String(body, StandardCharsets.UTF_8)).get("MessageBody");
        return Json.write(Map.of("MessageId", "offline", "MD5OfMessageBody", md5(String.valueOf(message))));
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String clientName() {
        return "Offline";
    }

    @Override
    public void close() {
    }
}
