package dev.longhaul.aws.webhook;

import dev.longhaul.core.webhook.WebhookSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Posts deliveries with the JDK's HTTP client: no redirect is followed (a redirect could point
 * past the SSRF guard, and counts as a failed attempt), no proxy, a connect and a total timeout,
 * and the response body is discarded unread.
 */
public final class HttpWebhookSender implements WebhookSender {
    private final HttpClient client;
    private final Duration timeout;

    public HttpWebhookSender(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public Response post(URI target, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new Response(response.statusCode(), null);
        } catch (IOException e) {
            return new Response(null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(null, "interrupted");
        } catch (IllegalArgumentException e) {
            return new Response(null, "invalid request");
        }
    }
}
