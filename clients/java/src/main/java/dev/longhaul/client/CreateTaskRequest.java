package dev.longhaul.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to create: a type, its parameters, and optionally a description, a callback URL, an
 * {@code Idempotency-Key} (one is generated when none is given) and other members the API may
 * take ({@link Builder#field}).
 */
public final class CreateTaskRequest {
    private final String type;
    private final Map<String, Object> parameters;
    private final Map<String, Object> fields;
    private final String idempotencyKey;

    private CreateTaskRequest(Builder builder) {
        this.type = builder.type;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(builder.parameters));
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(builder.fields));
        this.idempotencyKey = builder.idempotencyKey;
    }

    public static Builder builder(String type) {
        return new Builder(type);
    }

    /** A request for {@code type} with these parameters and nothing else. */
    public static CreateTaskRequest of(String type, Map<String, ?> parameters) {
        return builder(type).parameters(parameters).build();
    }

    public String type() {
        return type;
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    /** The request's other members (description, callbackUrl, ...), by name. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** The key given, or null to have one generated for each {@code create}. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** The JSON body. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("parameters", parameters);
        body.putAll(fields);
        return body;
    }

    public static final class Builder {
        private final String type;
        private final Map<String, Object> parameters = new LinkedHashMap<>();
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private String idempotencyKey;

        private Builder(String type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Adds these parameters (values: strings, numbers, booleans, lists, maps or Jackson nodes). */
        public Builder parameters(Map<String, ?> parameters) {
            this.parameters.putAll(Objects.requireNonNull(parameters, "parameters"));
            return this;
        }

        public Builder parameter(String name, Object value) {
            parameters.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        public Builder description(String description) {
            return field("description", description);
        }

        /** Deliver this task's terminal event to {@code url} too; the answer's {@link Task#callback()} holds its secret. */
        public Builder callbackUrl(String url) {
            return field("callbackUrl", url);
        }

        /**
         * Any other member of the create request by name, such as those the API adds after this
         * client ({@code name}, {@code queue}, ...). A server that does not know it refuses the
         * request with {@code 400 invalid-request}.
         */
        public Builder field(String name, Object value) {
            Objects.requireNonNull(name, "name");
            if (name.equals("type") || name.equals("parameters")) {
                throw new IllegalArgumentException(name + " is set through the builder's own methods");
            }
            fields.put(name, value);
            return this;
        }

        /**
         * The {@code Idempotency-Key}: one per logical request, reused when the same request is
         * sent again (after a crash, say). Without one, each {@code create} generates its own,
         * which still makes the client's own retries safe.
         */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        public CreateTaskRequest build() {
            return new CreateTaskRequest(this);
        }
    }
}
