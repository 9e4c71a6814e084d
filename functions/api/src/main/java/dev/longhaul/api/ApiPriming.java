package dev.longhaul.api;

import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbSecretKeys;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming for the API function: before the snapshot, runs the hot paths so their
 * classes are loaded and compiled in it, without a side effect anywhere. The function's own
 * handler only sees requests that touch no port (unauthenticated, unknown route); the create,
 * status, result and list paths run on a twin wired to {@link AwsClients#offline offline}
 * clients, whose calls are marshalled and signed but never sent.
 */
public final class ApiPriming implements Resource {
    private static final String TASK_ID = "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2a";

    private final ApiHandler handler;
    private final Map<String, String> environment;

    public ApiPriming(ApiHandler handler) {
        this(handler, System.getenv());
    }

    public ApiPriming(ApiHandler handler, Map<String, String> environment) {
        this.handler = handler;
        this.environment = environment;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws IOException {
        invoke(handler, event("GET", "/v1/tasks/" + TASK_ID, null, null));
        invoke(handler, event("GET", "/v1/priming", "priming", null));
        ApiConfig config = ApiConfig.from(Environment.of(environment));
        try (AwsClients offline = AwsClients.offline(environment)) {
            ApiHandler twin = new ApiHandler(config,
                    new DynamoDbTaskStore(offline.dynamoDb(), config.tableName()),
                    new SqsWorkQueue(offline.sqs(), config.queueUrl()),
                    new S3ResultStore(offline.s3(), config.bucket()),
                    new DynamoDbSecretKeys(offline.dynamoDb(), config.tableName()),
                    JobRegistry.builtIn(), Clock.systemUTC());
            invoke(twin, event("POST", "/v1/tasks", "priming",
                    "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1},\"description\":\"priming\"}"));
            invoke(twin, event("GET", "/v1/tasks/" + TASK_ID, "priming", null));
            invoke(twin, event("GET", "/v1/tasks/" + TASK_ID + "/result", "priming", null));
            invoke(twin, event("GET", "/v1/tasks", "priming", null));
            // the presigner is only reached for a finished task, which an offline read never finds
            new S3ResultStore(offline.s3(), config.bucket()).presignedDownload(TASK_ID, "text/csv", "priming.csv",
                    java.time.Duration.ofMinutes(5));
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: clients hold no connection across the snapshot worth keeping
    }

    private static void invoke(ApiHandler target, String event) throws IOException {
        target.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null);
    }

    /** An HTTP API payload 2.0 event; {@code owner} null means unauthenticated. */
    private static String event(String method, String path, String owner, String body) {
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("path", path);
        Map<String, Object> requestContext = new LinkedHashMap<>();
        requestContext.put("http", http);
        requestContext.put("requestId", "priming");
        if (owner != null) {
            requestContext.put("authorizer", Map.of("jwt", Map.of("claims", Map.of("sub", owner))));
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("rawPath", path);
        event.put("headers", Map.of("content-type", "application/json"));
        event.put("requestContext", requestContext);
        event.put("isBase64Encoded", false);
        if (body != null) {
            event.put("body", body);
        }
        return Json.write(event);
    }
}
