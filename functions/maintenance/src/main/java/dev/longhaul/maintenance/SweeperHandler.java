package dev.longhaul.maintenance;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbScheduleStore;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.schedule.ScheduleStore;
import dev.longhaul.core.schedule.TickSchedules;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.usecase.CreateTask;
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
 * out of attempts, queues scheduled tasks whose {@code notBefore} came, catches up on named queues,
 * dependencies and parents whose change the coordinator missed, then creates the task of each
 * recurring schedule's due tick (once per tick). The schedule event's content is not used.
 */
public final class SweeperHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.stdout("sweeper");
    private final SweepTasks sweep;
    /** The recurring schedules' due ticks; null when not wired (tests of the sweep alone). */
    private final TickSchedules ticks;

    public SweeperHandler() {
        this(System.getenv());
    }

    public SweeperHandler(Map<String, String> environment) {
        this(environment, AwsClients.fromEnvironment(environment), Clock.systemUTC());
    }

    /**
     * The Lambda's own wiring on these clients and this clock (tests add a call counter to the
     * clients, and move the clock to a schedule's tick).
     */
    public SweeperHandler(Map<String, String> environment, AwsClients clients, Clock clock) {
        this(MaintenanceConfig.from(Environment.of(environment)), clients, clock);
    }

    private SweeperHandler(MaintenanceConfig config, AwsClients clients, Clock clock) {
        this(config, new DynamoDbTaskStore(clients.dynamoDb(), config.tableName()),
                new SqsWorkQueue(clients.sqs(), config.requireQueueUrl()),
                new DynamoDbScheduleStore(clients.dynamoDb(), config.tableName()), clock);
    }

    private SweeperHandler(MaintenanceConfig config, TaskStore store, WorkQueue queue, ScheduleStore schedules,
                           Clock clock) {
        this(new SweepTasks(store, queue, clock, config.resultTtl(), config.maxAttempts(), config.sweepBatchLimit()),
                new TickSchedules(schedules, new CreateTask(store, queue, JobRegistry.builtIn(config.demoJobs()),
                        TaskIds.create(), clock, config.maxActivePerOwner(), null), clock, config.sweepBatchLimit()));
    }

    public SweeperHandler(SweepTasks sweep) {
        this(sweep, null);
    }

    /** @param ticks the recurring schedules' ticks, run after each sweep; null runs none */
    public SweeperHandler(SweepTasks sweep, TickSchedules ticks) {
        this.sweep = sweep;
        this.ticks = ticks;
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
        if (ticks != null) {
            TickSchedules.Report ticked = ticks.execute();
            LOG.info("schedules ticked", "requestId", context == null ? null : context.getAwsRequestId(),
                    "due", ticked.due(), "created", ticked.created(), "refused", ticked.refused());
            body.put("ticksDue", ticked.due());
            body.put("ticksCreated", ticked.created());
            body.put("ticksRefused", ticked.refused());
        }
        return body;
    }
}
