package dev.longhaul.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbSecretKeys;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming for the API function: before the snapshot, runs the hot paths so their
 * classes are loaded and compiled in it, without a side effect anywhere. The function's own
 * handler only sees requests that touch no port (unauthenticated, unknown route) and builds its
 * real clients (S3 and the presigner included) without calling them; the create, status, result
 * and list paths run, through the event binding, on a twin wired to
 * {@link AwsClients#offline offline} clients, whose calls are marshalled, signed and checksummed
 * but never sent. No credentials are resolved: the real clients are only built.
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
        // builds the task types' schemas into the snapshot; reads nothing
        invoke(handler, event("GET", "/v1/task-types", "priming", null));
        if (handler.clients() != null) {
            handler.clients().s3();
            handler.clients().presigner();
        }
        ApiConfig config = ApiConfig.from(Environment.of(environment));
        try (AwsClients offline = AwsClients.offline(environment)) {
            S3ResultStore results = new S3ResultStore(offline::s3, offline::presigner, config.bucket());
            ApiHandler twin = new ApiHandler(config,
                    new DynamoDbTaskStore(offline.dynamoDb(), config.tableName()),
                    new SqsWorkQueue(offline.sqs(), config.queueUrl()), results,
                    new DynamoDbSecretKeys(offline.dynamoDb(), config.tableName()),
                    JobRegistry.builtIn(), Clock.systemUTC());
            invoke(twin, event("POST", "/v1/tasks", "priming",
                    "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1},\"description\":\"priming\"}"));
            invoke(twin, event("GET", "/v1/tasks/" + TASK_ID, "priming", null));
            invoke(twin, event("GET", "/v1/tasks/" + TASK_ID + "/result", "priming", null));
            invoke(twin, event("GET", "/v1/tasks", "priming", null));
            invoke(twin, event("DELETE", "/v1/tasks/" + TASK_ID, "priming", null));
            // the presigner is only reached for a finished task, which an offline read never finds
            results.presignedDownload(TASK_ID, "text/csv", "priming.csv", Duration.ofMinutes(5));
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: credentials were never resolved, and connections are opened on use
    }

    private static void invoke(ApiHandler target, APIGatewayV2HTTPEvent event) throws IOException {
        byte[] json = LambdaEvents.write(event).getBytes(StandardCharsets.UTF_8);
        target.handleRequest(new ByteArrayInputStream(json), new ByteArrayOutputStream(), null);
    }

    /** An HTTP API payload 2.0 event; {@code owner} null means unauthenticated. */
    private static APIGatewayV2HTTPEvent event(String method, String path, String owner, String body) {
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                .withRequestId("priming");
        if (owner != null) {
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                            .withClaims(Map.of("sub", owner)).build())
                    .build());
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRawPath(path)
                .withHeaders(Map.of("content-type", "application/json"))
                .withRequestContext(context.build())
                .withIsBase64Encoded(false)
                .withBody(body)
                .build();
    }
}
