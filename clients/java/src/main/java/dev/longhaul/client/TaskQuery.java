package dev.longhaul.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Filters of a task listing. Besides those named here, {@link Builder#filter} passes any other
 * query parameter the API may take ({@code queue}, {@code parent}, ...).
 */
public final class TaskQuery {
    private final Map<String, String> parameters;

    private TaskQuery(Map<String, String> parameters) {
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Every task of the caller. */
    public static TaskQuery all() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The query parameters, by name. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** The query string, without its {@code ?}, with {@code pageToken} appended when given. */
    String queryString(String pageToken) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        if (pageToken != null) {
            all.put("pageToken", pageToken);
        }
        return all.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static final class Builder {
        private final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder status(TaskStatus status) {
            return filter("status", status.value());
        }

        public Builder status(String status) {
            return filter("status", status);
        }

        public Builder type(String type) {
            return filter("type", type);
        }

        /** Only tasks created strictly after this instant. */
        public Builder createdAfter(Instant instant) {
            return filter("createdAfter", instant.toString());
        }

        /** Only tasks created strictly before this instant. */
        public Builder createdBefore(Instant instant) {
            return filter("createdBefore", instant.toString());
        }

        /** Tasks per page, 1 to 100 (the API's default is 20); the iteration fetches every page either way. */
        public Builder pageSize(int pageSize) {
            return filter("pageSize", Integer.toString(pageSize));
        }

        /** Any other query parameter, passed as it is; a server that does not know it answers {@code 400}. */
        public Builder filter(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, name);
            if (name.equals("pageToken")) {
                throw new IllegalArgumentException("pageToken is handled by the listing");
            }
            parameters.put(name, value);
            return this;
        }

        public TaskQuery build() {
            return new TaskQuery(parameters);
        }
    }
}
