package dev.longhaul.client;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A client of the Longhaul task API.
 *
 * <pre>{@code
 * LonghaulClient longhaul = LonghaulClient.builder()
 *         .baseUrl("https://abc123.execute-api.eu-west-1.amazonaws.com")
 *         .token(() -> identityProvider.accessToken())
 *         .build();
 * Task task = longhaul.create(CreateTaskRequest.of("report.stock", Map.of("rows", 100_000)));
 * Task done = longhaul.waitFor(task.id(), Duration.ofMinutes(10), t -> log.info("{}%", t.progress()));
 * if (done.status().equals(TaskStatus.SUCCEEDED)) {
 *     longhaul.download(done.id(), Path.of("stock.csv"));
 * }
 * }</pre>
 *
 * Every method throws {@link LonghaulException} when the API answers with an error, and {@link
 * java.io.UncheckedIOException} when it could not be reached, each after the {@link RetryPolicy}'s
 * retries. Implementations are safe to share between threads.
 */
public interface LonghaulClient {

    static Builder builder() {
        return new Builder();
    }

    /** Creates a task ({@code 202}); retried safely with the request's {@code Idempotency-Key}, generated when not given. */
    Task create(CreateTaskRequest request);

    default Task create(String type, Map<String, ?> parameters) {
        return create(CreateTaskRequest.of(type, parameters));
    }

    /** The task as it is now; {@code task-not-found} (404) for an unknown id or another owner's task. */
    Task get(String id);

    /** Every task matching the query, newest first, fetching the pages as the iteration reaches them. */
    Iterable<Task> list(TaskQuery query);

    /** One page of a listing: {@code pageToken} null for the first, then the previous page's next token. */
    TaskPage listPage(TaskQuery query, String pageToken);

    /** Cancels a task: cancelled at once when queued; {@code cancelRequested} while a running job stops. */
    Task cancel(String id);

    /** Deletes a task and its result. */
    void delete(String id);

    /**
     * Writes a succeeded task's result to {@code target} (replaced when it exists), following the
     * redirects to the presigned download URL, which gets no token. {@code result-not-ready},
     * {@code task-failed} or {@code task-cancelled} (409) when there is none.
     */
    Path download(String id, Path target);

    /** The result as a stream, which the caller closes; as {@link #download(String, Path)} otherwise. */
    InputStream openResult(String id);

    /**
     * Waits for the task to reach a terminal status (succeeded, failed, cancelled) by long polling
     * ({@code Prefer: wait}, {@code If-None-Match}), calling {@code onProgress} with each new state
     * it sees, the first included.
     *
     * @return the terminal task, or, when {@code timeout} passes first, the task as last seen (check
     *         {@link Task#isTerminal()})
     */
    Task waitFor(String id, Duration timeout, Consumer<Task> onProgress);

    default Task waitFor(String id, Duration timeout) {
        return waitFor(id, timeout, task -> { });
    }

    /** The job types the deployment runs, with their parameter schemas ({@code GET /v1/task-types}). */
    List<TaskType> taskTypes();

    /**
     * Subscribes {@code url} to the caller's task events ({@code task.succeeded}, {@code
     * task.failed}, {@code task.cancelled}; all three when {@code events} is empty). The answer's
     * {@link Webhook#secret()} is shown this once.
     */
    Webhook createWebhook(String url, Collection<String> events);

    /** The caller's webhooks, oldest first, without their secrets. */
    List<Webhook> webhooks();

    /** Unsubscribes; {@code webhook-not-found} (404) for an unknown id. */
    void deleteWebhook(String id);

    final class Builder {
        private URI baseUrl;
        private Supplier<String> token;
        private HttpClient httpClient;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The API's base URL: the stack's {@code ApiUrl}, or {@code http://127.0.0.1:3000} locally. */
        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(Objects.requireNonNull(baseUrl, "baseUrl")));
        }

        public Builder baseUrl(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("The base URL must be http or https: " + baseUrl);
            }
            this.baseUrl = baseUrl;
            return this;
        }

        /** The bearer JWT, asked for before every request, so it may be refreshed between them. */
        public Builder token(Supplier<String> token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * The JDK client to send with. It must not follow redirects: the client follows them itself,
         * so that the token is never sent to the presigned download URL.
         */
        public Builder httpClient(HttpClient httpClient) {
            Objects.requireNonNull(httpClient, "httpClient");
            if (httpClient.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("The HttpClient must not follow redirects (HttpClient.Redirect.NEVER)");
            }
            this.httpClient = httpClient;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** How long one request may take (a long poll gets its wait on top). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        public LonghaulClient build() {
            if (baseUrl == null) {
                throw new IllegalStateException("baseUrl is required");
            }
            if (token == null) {
                throw new IllegalStateException("token is required");
            }
            HttpClient http = httpClient != null ? httpClient : HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            return new HttpLonghaulClient(baseUrl, new Transport(http, token, retryPolicy, requestTimeout));
        }
    }
}
