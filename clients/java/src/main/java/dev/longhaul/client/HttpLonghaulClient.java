package dev.longhaul.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/** {@link LonghaulClient} over the HTTP API. */
final class HttpLonghaulClient implements LonghaulClient {
    /** The longest {@code Prefer: wait} the API honours. */
    private static final int MAX_WAIT_SECONDS = 10;
    private static final int MAX_REDIRECTS = 5;

    private final String base;
    private final Transport transport;

    HttpLonghaulClient(URI baseUrl, Transport transport) {
        String url = baseUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.transport = transport;
    }

    @Override
    public Task create(CreateTaskRequest request) {
        Objects.requireNonNull(request, "request");
        String key = request.idempotencyKey() != null ? request.idempotencyKey() : UUID.randomUUID().toString();
        Transport.Answer answer = transport.send(new Transport.Call("POST", uri("/v1/tasks"),
                Map.of("Idempotency-Key", key), JsonCodec.write(request.body()), true, true, false, Duration.ZERO));
        return Task.from(expect(answer, 200, 201, 202).json());
    }

    @Override
    public Task get(String id) {
        return Task.from(expect(transport.send(Transport.Call.get(taskUri(id, ""))), 200, 303).json());
    }

    @Override
    public Iterable<Task> list(TaskQuery query) {
        Objects.requireNonNull(query, "query");
        return () -> new Pages(query);
    }

    @Override
    public TaskPage listPage(TaskQuery query, String pageToken) {
        String queryString = query.queryString(pageToken);
        JsonNode page = expect(transport.send(Transport.Call.get(
                uri("/v1/tasks" + (queryString.isEmpty() ? "" : "?" + queryString)))), 200).json();
        return new TaskPage(items(page, "tasks", Task::from), JsonCodec.text(page, "nextPageToken"));
    }

    @Override
    public Task cancel(String id) {
        Transport.Answer answer = transport.send(new Transport.Call("POST", taskUri(id, "/cancel"), Map.of(), null,
                true, true, false, Duration.ZERO));
        return Task.from(expect(answer, 200, 202).json());
    }

    @Override
    public void delete(String id) {
        expect(transport.send(new Transport.Call("DELETE", taskUri(id, ""), Map.of(), null, true, true, false,
                Duration.ZERO)), 204, 200);
    }

    @Override
    public Path download(String id, Path target) {
        Objects.requireNonNull(target, "target");
        Path absolute = target.toAbsolutePath();
        Path partial = null;
        try (InputStream in = openResult(id)) {
            partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING);
            partial = null;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Downloading the result of " + id + " to " + target + " failed: " + e, e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // the download's own failure is the one to report
                }
            }
        }
    }

    /**
     * Follows the API's redirects to the result: a 303 within the API keeps the token, the 302 to
     * the presigned URL (and anything off the API's origin) never gets it.
     */
    @Override
    public InputStream openResult(String id) {
        URI next = taskUri(id, "/result");
        boolean authorized = true;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Transport.Answer answer = transport.send(new Transport.Call("GET", next, Map.of(), null, true,
                    authorized && sameOrigin(next), true, Duration.ZERO));
            int status = answer.status();
            if (answer.stream() != null) {
                return answer.stream();
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = answer.header("Location")
                        .orElseThrow(() -> new LonghaulException(status, "http-" + status, null,
                                "A redirect without a Location.", null, null));
                next = next.resolve(location);
                if (status == 302) {
                    authorized = false;
                }
                continue;
            }
            throw answer.error();
        }
        throw new LonghaulException(310, "too-many-redirects", null, "More than " + MAX_REDIRECTS + " redirects.",
                null, null);
    }

    @Override
    public Task waitFor(String id, Duration timeout, Consumer<Task> onProgress) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(onProgress, "onProgress");
        long deadline = System.nanoTime() + timeout.toNanos();
        Task last = null;
        String etag = null;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (last != null && remaining <= 0) {
                return last;
            }
            // the first poll answers at once; the next ones wait for a change of the copy held
            int wait = last == null ? 0 : (int) Math.min(MAX_WAIT_SECONDS, Math.max(1, remaining / 1_000_000_000L));
            Map<String, String> headers = new LinkedHashMap<>();
            if (wait > 0) {
                headers.put("Prefer", "wait=" + wait);
            }
            if (etag != null) {
                headers.put("If-None-Match", etag);
            }
            Transport.Answer answer = transport.send(Transport.Call.get(taskUri(id, "")).withHeaders(headers)
                    .withExtraTime(Duration.ofSeconds(wait)));
            if (answer.status() != 304) {
                last = Task.from(expect(answer, 200, 303).json());
                etag = answer.header("ETag").orElse(null);
                onProgress.accept(last);
                if (last.isTerminal()) {
                    return last;
                }
            }
            if (answer.header("Preference-Applied").isEmpty()) {
                // the server did not hold the answer: poll no faster than it asks
                Duration pause = answer.retryAfter() == null ? Duration.ofSeconds(1) : answer.retryAfter();
                long left = Math.max(0, deadline - System.nanoTime());
                Transport.sleep(Duration.ofNanos(Math.min(pause.toNanos(), left)));
            }
        }
    }

    @Override
    public List<TaskType> taskTypes() {
        return items(expect(transport.send(Transport.Call.get(uri("/v1/task-types"))), 200).json(), "types",
                TaskType::from);
    }

    @Override
    public Webhook createWebhook(String url, Collection<String> events) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", Objects.requireNonNull(url, "url"));
        if (events != null && !events.isEmpty()) {
            body.put("events", List.copyOf(events));
        }
        // not idempotent: a lost answer is not retried, lest the subscription be made twice
        Transport.Answer answer = transport.send(new Transport.Call("POST", uri("/v1/webhooks"), Map.of(),
                JsonCodec.write(body), false, true, false, Duration.ZERO));
        return Webhook.from(expect(answer, 201, 200).json());
    }

    @Override
    public List<Webhook> webhooks() {
        return items(expect(transport.send(Transport.Call.get(uri("/v1/webhooks"))), 200).json(), "webhooks",
                Webhook::from);
    }

    @Override
    public void deleteWebhook(String id) {
        expect(transport.send(new Transport.Call("DELETE", uri("/v1/webhooks/" + segment(id)), Map.of(), null,
                true, true, false, Duration.ZERO)), 204, 200);
    }

    private static <T> List<T> items(JsonNode body, String member, Function<JsonNode, T> reader) {
        List<T> items = new ArrayList<>();
        body.path(member).forEach(item -> items.add(reader.apply(item)));
        return List.copyOf(items);
    }

    private static Transport.Answer expect(Transport.Answer answer, int... statuses) {
        for (int status : statuses) {
            if (answer.status() == status) {
                return answer;
            }
        }
        throw answer.error();
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private URI taskUri(String id, String suffix) {
        return uri("/v1/tasks/" + segment(id) + suffix);
    }

    private boolean sameOrigin(URI uri) {
        URI api = URI.create(base);
        return Objects.equals(api.getScheme(), uri.getScheme()) && Objects.equals(api.getHost(), uri.getHost())
                && port(api) == port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String segment(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("An id must not be empty");
        }
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The pages of a listing, each fetched when the iteration needs it. */
    private final class Pages implements Iterator<Task> {
        private final TaskQuery query;
        private Iterator<Task> page = List.<Task>of().iterator();
        private String nextPageToken;
        private boolean last;

        Pages(TaskQuery query) {
            this.query = query;
        }

        @Override
        public boolean hasNext() {
            // a page may be empty and still be followed by another
            while (!page.hasNext() && !last) {
                TaskPage fetched = listPage(query, nextPageToken);
                page = fetched.tasks().iterator();
                nextPageToken = fetched.nextPageToken();
                last = nextPageToken == null;
            }
            return page.hasNext();
        }

        @Override
        public Task next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
        }
    }
}
