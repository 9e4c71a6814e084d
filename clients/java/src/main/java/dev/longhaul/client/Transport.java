package dev.longhaul.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** Sends one call with the bearer token, retrying it by the {@link RetryPolicy}. */
final class Transport {
    private static final String USER_AGENT = "Longhaul-Java-Client/1";

    private final HttpClient http;
    private final Supplier<String> token;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;

    Transport(HttpClient http, Supplier<String> token, RetryPolicy retryPolicy, Duration requestTimeout) {
        this.http = http;
        this.token = token;
        this.retryPolicy = retryPolicy;
        this.requestTimeout = requestTimeout;
    }

    /**
     * One request.
     *
     * @param idempotent repeating it is harmless, so it is retried after a network error too
     * @param authorized it carries the bearer token; never for a presigned URL
     * @param streaming  a 2xx body is handed over as a stream instead of being read
     * @param extraTime  added to the request timeout (a long poll's wait)
     */
    record Call(String method, URI uri, Map<String, String> headers, byte[] body, boolean idempotent,
            boolean authorized, boolean streaming, Duration extraTime) {

        static Call get(URI uri) {
            return new Call("GET", uri, Map.of(), null, true, true, false, Duration.ZERO);
        }

        Call withHeaders(Map<String, String> more) {
            return new Call(method, uri, more, body, idempotent, authorized, streaming, extraTime);
        }

        Call withExtraTime(Duration more) {
            return new Call(method, uri, headers, body, idempotent, authorized, streaming, more);
        }
    }

    /** An answer: the body read into memory, or, for a streaming call's 2xx, left to be read. */
    record Answer(int status, HttpHeaders headers, byte[] body, InputStream stream) {

        JsonNode json() {
            return JsonCodec.read(body);
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        Duration retryAfter() {
            return header("Retry-After").map(Transport::parseRetryAfter).orElse(null);
        }

        boolean isProblem() {
            return header("Content-Type").map(type -> type.startsWith("application/problem+json")).orElse(false);
        }

        LonghaulException error() {
            return LonghaulException.of(status, header("Content-Type").orElse(null), json(), retryAfter());
        }
    }

    Answer send(Call call) {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Answer answer = null;
            IOException failure = null;
            try {
                HttpResponse<Answer> response = http.send(request(call), info -> handle(info, call.streaming()));
                answer = response.body();
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                throw interrupted();
            }
            boolean retryable = failure != null ? call.idempotent() : retryable(answer, call);
            Duration delay = answer == null || answer.retryAfter() == null
                    ? retryPolicy.backoff(attempt, ThreadLocalRandom.current().nextDouble())
                    : answer.retryAfter();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (!retryable || attempt >= retryPolicy.maxAttempts()
                    || elapsed.plus(delay).compareTo(retryPolicy.maxElapsed()) > 0) {
                if (failure != null) {
                    throw new UncheckedIOException(call.method() + " " + call.uri() + " failed after " + attempt
                            + " attempt(s): " + failure, failure);
                }
                return answer;
            }
            retryPolicy.notifyRetry(new RetryPolicy.Retry(call.method(), call.uri(), attempt,
                    answer == null ? 0 : answer.status(), failure, delay));
            sleep(delay);
        }
    }

    /** 429 and a problem 503 say the request was not processed; a bare 503 (a gateway's) may have been. */
    private static boolean retryable(Answer answer, Call call) {
        return answer.status() == 429 || answer.status() == 503 && (call.idempotent() || answer.isProblem());
    }

    private HttpRequest request(Call call) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri())
                .timeout(requestTimeout.plus(call.extraTime()))
                .header("User-Agent", USER_AGENT)
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        if (call.body() != null) {
            builder.header("Content-Type", "application/json");
        }
        if (call.authorized()) {
            String bearer = token.get();
            if (bearer != null && !bearer.isEmpty()) {
                builder.header("Authorization", "Bearer " + bearer);
            }
        }
        call.headers().forEach(builder::header);
        return builder.build();
    }

    private static HttpResponse.BodySubscriber<Answer> handle(HttpResponse.ResponseInfo info, boolean streaming) {
        if (streaming && info.statusCode() / 100 == 2) {
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(),
                    stream -> new Answer(info.statusCode(), info.headers(), new byte[0], stream));
        }
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                bytes -> new Answer(info.statusCode(), info.headers(), bytes, null));
    }

    /** Delta seconds or an HTTP-date (RFC 9110); null when it is neither. */
    static Duration parseRetryAfter(String value) {
        String trimmed = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration until = Duration.between(Instant.now(), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    static UncheckedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new UncheckedIOException(new InterruptedIOException("interrupted"));
    }
}
