package dev.longhaul.maintenance;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.usecase.SweepTasks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduled sweeper: requeues tasks whose message was lost or whose worker died, fails those
 * out of attempts. The schedule event's content is not used.
 */
public final class SweeperHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.stdout("sweeper");
    private final SweepTasks sweep;

    public SweeperHandler() {
        this(System.getenv());
    }

    public SweeperHandler(Map<String, String> environment) {
        this(MaintenanceConfig.from(Environment.of(environment)), AwsClients.fromEnvironment(environment));
    }

    private SweeperHandler(MaintenanceConfig config, AwsClients clients) {
        this(new SweepTasks(new DynamoDbTaskStore(clients.dynamoDb(), config.tableName()),
                new SqsWorkQueue(clients.sqs(), config.requireQueueUrl()), Clock.systemUTC(),
                config.resultTtl(), config.maxAttempts(), config.sweepBatchLimit()));
    }

    public SweeperHandler(SweepTasks sweep) {
        this.sweep = sweep;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(Json.write(handle(LambdaEvents.read(input, ScheduledEvent.class), context))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The typed entry: one tick of the schedule; answers what the sweep did. */
    public Map<String, Object> handle(ScheduledEvent event, Context context) {
        SweepTasks.Report report = sweep.execute();
        LOG.info("sweep done", "requestId", context == null ? null : context.getAwsRequestId(),
                "examined", report.examined(), "requeued", report.requeued(), "failed", report.failed(),
                "skipped", report.skipped());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("examined", report.examined());
        body.put("requeued", report.requeued());
        body.put("failed", report.failed());
        body.put("skipped", report.skipped());
        return body;
    }
}
