package dev.longhaul.api;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/task-types}: the job types this deployment accepts, each with its parameters as
 * JSON Schema 2020-12 generated from the rules create validates with. The answer changes only with
 * a deployment, so it is built on the first request (not at cold start) and kept, and clients
 * may cache it privately for {@value #MAX_AGE_SECONDS} seconds and revalidate with its ETag.
 */
public final class TaskTypeRoutes {
    public static final String PATH = "/v1/task-types";
    static final int MAX_AGE_SECONDS = 300;
    static final String CACHE_CONTROL = "private, max-age=" + MAX_AGE_SECONDS;

    private final JobRegistry jobs;
    private volatile Listing listing;

    public TaskTypeRoutes(JobRegistry jobs) {
        this.jobs = jobs;
    }

    private record Listing(String body, String etag) {
    }

    public HttpResponse route(HttpRequest request) {
        TaskApi.requireMethod(request, "GET");
        Listing current = listing();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", current.etag());
        headers.put("Cache-Control", CACHE_CONTROL);
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && TaskApi.matches(ifNoneMatch, current.etag())) {
            return new HttpResponse(304, headers, "");
        }
        Map<String, String> withType = new LinkedHashMap<>();
        withType.put("Content-Type", "application/json");
        withType.putAll(headers);
        return new HttpResponse(200, withType, current.body());
    }

    /** The body and its entity tag, made once: building the schemas is the only work here. */
    private Listing listing() {
        Listing current = listing;
        if (current == null) {
            String body = Json.write(Map.of("types", types(jobs)));
            current = new Listing(body, "\"" + sha256Hex(body).substring(0, 32) + "\"");
            listing = current;
        }
        return current;
    }

    /** Each registered type as {@code GET /v1/task-types} lists it. */
    static List<Object> types(JobRegistry jobs) {
        List<Object> types = new ArrayList<>();
        for (Job job : jobs.jobs()) {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("type", job.type());
            type.put("description", job.description());
            type.put("contentType", job.defaultContentType());
            type.put("parameters", job.parameters().jsonSchema());
            type.put("resumable", job.resumable());
            types.add(type);
        }
        return types;
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
