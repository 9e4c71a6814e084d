package dev.longhaul.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.lambda.RecordBatch;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsMessageVisibility;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.log.Metrics;
import dev.longhaul.core.port.MessageVisibility;
import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.usecase.CreateTask;
import dev.longhaul.core.usecase.RunTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The worker Lambda, fed by SQS with {@code ReportBatchItemFailures}: each message that must be
 * retried is reported in {@code batchItemFailures}, the rest are deleted by Lambda. A task that
 * goes on later (a continuation, or one the invocation has no time left to start) is sent as a
 * fresh message and its delivered one deleted, so it spends none of the queue's receives.
 */
public final class WorkerHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.stdout("worker");
    private static final Metrics METRICS = Metrics.stdout("worker");
    private final RunTask runTask;
    private final MessageVisibility visibility;
    private final Duration lease;

    /** Held strongly: CRaC may keep registered resources only weakly. */
    private WorkerPriming priming;

    /** What Lambda calls: wired from the environment, primed before a SnapStart snapshot. */
    public WorkerHandler() {
        this(System.getenv());
        priming = new WorkerPriming(this);
        org.crac.Core.getGlobalContext().register(priming);
    }

    /**
     * Wires the function from an explicit environment: what the local cloud and the tests use to
     * run it with the variables template.yaml gives it.
     */
    public WorkerHandler(Map<String, String> environment) {
        this(environment, AwsClients.fromEnvironment(environment));
    }

    /** As {@link #WorkerHandler(Map)}, over the given clients (built with a call listener, say, to count calls). */
    public WorkerHandler(Map<String, String> environment, AwsClients clients) {
        this(WorkerConfig.from(Environment.of(environment)), clients);
    }

    private WorkerHandler(WorkerConfig config, AwsClients clients) {
        this(config, new DynamoDbTaskStore(clients.dynamoDb(), config.tableName()),
                new S3ResultStore(clients.s3(), null, config.bucket()),
                new SqsMessageVisibility(clients.sqs(), config.queueUrl()),
                new SqsWorkQueue(clients.sqs(), config.queueUrl()),
                JobRegistry.builtIn(config.demoJobs()), Clock.systemUTC());
    }

    /** @param queue the work queue itself, where continuations and unstarted tasks are sent again */
    public WorkerHandler(WorkerConfig config, TaskStore store, ResultStore results, MessageVisibility visibility,
                         WorkQueue queue, JobRegistry jobs, Clock clock) {
        // a job's children (JobContext.spawn) are created as the API creates tasks; they take their
        // slots over the owner's limit, as part of their parent's work
        CreateTask spawner = new CreateTask(store, queue, jobs, TaskIds.create(), clock, 0, null);
        this.runTask = new RunTask(store, results, queue, jobs, TaskIds.create(), clock, config.run(), METRICS,
                spawner);
        this.visibility = visibility;
        this.lease = config.run().lease();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        LambdaEvents.write(handle(LambdaEvents.read(input, SQSEvent.class), context), output);
    }

    /** The typed entry: one batch of work messages; the ones to deliver again are reported. */
    public SQSBatchResponse handle(SQSEvent event, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        RunTask.Invocation invocation = new RunTask.Invocation();
        return RecordBatch.sqs(event, message -> process(message, requestId, context, invocation));
    }

    /** Runs one message's task; false when the message must be delivered again. */
    private boolean process(SQSEvent.SQSMessage message, String requestId, Context context,
                            RunTask.Invocation invocation) {
        Task snapshot;
        try {
            snapshot = TaskCodec.fromJson(Json.parseObject(message.getBody()));
        } catch (RuntimeException e) {
            // poison message: retried until the redrive policy moves it to the DLQ
            LOG.error("message is not a task", e, "requestId", requestId, "messageId", message.getMessageId());
            return false;
        }
        String receipt = message.getReceiptHandle();
        Long sent = sentTimestamp(message);
        if (sent != null) {
            METRICS.milliseconds("QueueAge", Math.max(0, System.currentTimeMillis() - sent), snapshot.type(), snapshot.id());
        }
        try {
            RunTask.Run run = runTask.execute(snapshot, new VisibilityHeartbeat(receipt, context), invocation);
            LOG.info("task processed", "requestId", requestId, "taskId", snapshot.id(), "type", snapshot.type(),
                    "outcome", run.outcome().name().toLowerCase(java.util.Locale.ROOT));
            if (run.outcome() != RunTask.Outcome.RETRY) {
                return true;
            }
            delay(receipt, run.retryAfter(), requestId, snapshot.id());
            return false;
        } catch (RuntimeException e) {
            LOG.error("task processing failed", e, "requestId", requestId, "taskId", snapshot.id());
            delay(receipt, runTask.backoff(1), requestId, snapshot.id());
            return false;
        }
    }

    private static Long sentTimestamp(SQSEvent.SQSMessage message) {
        String sent = message.getAttributes() == null ? null : message.getAttributes().get("SentTimestamp");
        try {
            return sent == null ? null : Long.valueOf(sent);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Hides the message until its next attempt is due; without it, the queue's timeout applies. */
    private void delay(String receipt, Duration retryAfter, String requestId, String taskId) {
        if (retryAfter == null || receipt == null) {
            return;
        }
        try {
            visibility.hide(receipt, retryAfter);
        } catch (RuntimeException e) {
            LOG.warn("could not delay the retry; the queue's visibility timeout applies", "requestId", requestId,
                    "taskId", taskId, "errorType", e.getClass().getName());
        }
    }

    /**
     * Keeps the message hidden while its task's lease is renewed, so SQS does not deliver it to
     * another worker mid-run. One SQS call per third of a lease at most.
     */
    private final class VisibilityHeartbeat implements RunTask.Heartbeat {
        private final String receipt;
        private final Context context;
        private long lastExtension = System.nanoTime();

        VisibilityHeartbeat(String receipt, Context context) {
            this.receipt = receipt;
            this.context = context;
        }

        @Override
        public Duration remaining() {
            return context == null ? null : Duration.ofMillis(context.getRemainingTimeInMillis());
        }

        @Override
        public void beat() {
            long now = System.nanoTime();
            if (receipt == null || now - lastExtension < lease.toNanos() / 3) {
                return;
            }
            lastExtension = now;
            try {
                visibility.hide(receipt, lease.plus(lease));
            } catch (RuntimeException e) {
                LOG.warn("could not extend the message's visibility", "errorType", e.getClass().getName());
            }
        }
    }
}
