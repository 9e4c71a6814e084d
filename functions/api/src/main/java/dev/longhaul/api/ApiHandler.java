package dev.longhaul.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbScheduleStore;
import dev.longhaul.aws.dynamodb.DynamoDbSecretKeys;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.dynamodb.DynamoDbWaitSlots;
import dev.longhaul.aws.kms.KmsEnvelope;
import dev.longhaul.lambda.LambdaEvents;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.aws.webhook.DynamoDbSubscriptionStore;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.port.ResultStore;
import dev.longhaul.core.port.SecretKeys;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WaitSlots;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.schedule.CreateSchedule;
import dev.longhaul.core.schedule.DeleteSchedule;
import dev.longhaul.core.schedule.ListSchedules;
import dev.longhaul.core.schedule.ScheduleStore;
import dev.longhaul.core.usecase.CancelTask;
import dev.longhaul.core.usecase.ChangeAccess;
import dev.longhaul.core.usecase.CreateTask;
import dev.longhaul.core.usecase.DeleteTask;
import dev.longhaul.core.usecase.DescribeTasks;
import dev.longhaul.core.usecase.GetResult;
import dev.longhaul.core.usecase.GetTask;
import dev.longhaul.core.usecase.ListTasks;
import dev.longhaul.core.usecase.PageTokens;
import dev.longhaul.core.usecase.Sleeper;
import dev.longhaul.core.webhook.AddressTargetGuard;
import dev.longhaul.core.webhook.ListWebhooks;
import dev.longhaul.core.webhook.SubscribeWebhook;
import dev.longhaul.core.webhook.SubscriptionStore;
import dev.longhaul.core.webhook.TargetGuard;
import dev.longhaul.core.webhook.TaskCallbacks;
import dev.longhaul.core.webhook.UnsubscribeWebhook;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/**
 * The API Lambda. Lambda calls the no-argument constructor, which wires the AWS adapters once;
 * tests call the other one with the ports. {@link #handleRequest} only translates the event.
 */
public final class ApiHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.stdout("api");
    private final TaskApi api;
    /** The clients the Lambda wiring built; null when the ports were handed in. */
    private AwsClients clients;
    /** Held strongly: CRaC may keep registered resources only weakly. */
    private ApiPriming priming;

    /** What Lambda calls: wired from the environment, primed before a SnapStart snapshot. */
    public ApiHandler() {
        this(System.getenv());
        priming = new ApiPriming(this);
        org.crac.Core.getGlobalContext().register(priming);
    }

    /**
     * Wires the function from an explicit environment: what the local cloud and the tests use to
     * run it with the variables template.yaml gives it.
     */
    public ApiHandler(Map<String, String> environment) {
        this(environment, AwsClients.fromEnvironment(environment, AwsClients.Timeouts.api()));
    }

    /** As {@link #ApiHandler(Map)}, over the given clients (built with a call listener, say, to count calls). */
    public ApiHandler(Map<String, String> environment, AwsClients clients) {
        this(ApiConfig.from(Environment.of(environment)), clients,
                AddressTargetGuard.fromEnvironment(Environment.of(environment)));
        this.clients = clients;
    }

    private ApiHandler(ApiConfig config, AwsClients clients, TargetGuard webhookGuard) {
        this(config, clients, webhookGuard, new KmsEnvelope(clients::kms, config.secretsKeyArn(), config.tableName()));
    }

    /** @param envelope seals and opens the table's secrets; its KMS client is built on first use */
    private ApiHandler(ApiConfig config, AwsClients clients, TargetGuard webhookGuard, KmsEnvelope envelope) {
        this(config, new DynamoDbTaskStore(clients.dynamoDb(), config.tableName()),
                new SqsWorkQueue(clients.sqs(), config.queueUrl()),
                // the S3 client and the presigner are built on first use (or by the SnapStart
                // priming): creates and polls need neither
                new S3ResultStore(clients::s3, clients::presigner, config.bucket()),
                new DynamoDbSecretKeys(clients.dynamoDb(), config.tableName(), envelope),
                JobRegistry.builtIn(config.demoJobs()), Clock.systemUTC(),
                new DynamoDbSubscriptionStore(clients.dynamoDb(), config.tableName(), envelope), webhookGuard,
                // counted in the table, so the cap holds across every instance of the function
                config.maxWaitsPerOwner() == 0 ? null
                        : new DynamoDbWaitSlots(clients.dynamoDb(), config.tableName(), config.maxWaitsPerOwner()),
                new DynamoDbScheduleStore(clients.dynamoDb(), config.tableName()));
    }

    /** Without webhooks: no {@code /v1/webhooks} routes, and {@code callbackUrl} is refused. */
    public ApiHandler(ApiConfig config, TaskStore store, WorkQueue queue, ResultStore results,
                      SecretKeys keys, JobRegistry jobs, Clock clock) {
        this(config, store, queue, results, keys, jobs, clock, null, null);
    }

    /** @param subscriptions and {@code webhookGuard} both null leave webhooks out */
    public ApiHandler(ApiConfig config, TaskStore store, WorkQueue queue, ResultStore results,
                      SecretKeys keys, JobRegistry jobs, Clock clock, SubscriptionStore subscriptions,
                      TargetGuard webhookGuard) {
        this(config, store, queue, results, keys, jobs, clock, subscriptions, webhookGuard, null);
    }

    /**
     * @param waitSlots where concurrent {@code Prefer: wait} polls are counted, built to hold at
     *                  most {@link ApiConfig#maxWaitsPerOwner()} per owner; null (or a max of 0)
     *                  leaves waits uncapped
     */
    public ApiHandler(ApiConfig config, TaskStore store, WorkQueue queue, ResultStore results,
                      SecretKeys keys, JobRegistry jobs, Clock clock, SubscriptionStore subscriptions,
                      TargetGuard webhookGuard, WaitSlots waitSlots) {
        this(config, store, queue, results, keys, jobs, clock, subscriptions, webhookGuard, waitSlots, null);
    }

    /** @param schedules where recurring schedules are kept; null leaves {@code /v1/schedules} out */
    public ApiHandler(ApiConfig config, TaskStore store, WorkQueue queue, ResultStore results,
                      SecretKeys keys, JobRegistry jobs, Clock clock, SubscriptionStore subscriptions,
                      TargetGuard webhookGuard, WaitSlots waitSlots, ScheduleStore schedules) {
        GetTask getTask = new GetTask(store, clock,
                waitSlots == null || config.maxWaitsPerOwner() == 0 ? WaitSlots.unlimited() : waitSlots,
                Sleeper.system());
        boolean webhooks = subscriptions != null && webhookGuard != null;
        CreateTask createTask = new CreateTask(store, queue, jobs, TaskIds.create(), clock, config.maxActivePerOwner(),
                webhooks ? new TaskCallbacks(subscriptions, webhookGuard) : null);
        this.api = new TaskApi(
                createTask,
                getTask,
                new GetResult(getTask, results, jobs, clock, config.presignTtl()),
                new ListTasks(store, new PageTokens(keys), clock),
                new CancelTask(getTask, store, clock, config.resultTtl()),
                new DeleteTask(store, results),
                clock, LOG,
                webhooks ? new WebhookRoutes(new SubscribeWebhook(subscriptions, webhookGuard, TaskIds.create(), clock),
                        new ListWebhooks(subscriptions), new UnsubscribeWebhook(subscriptions), LOG) : null,
                new TaskTypeRoutes(jobs),
                new ChangeAccess(getTask, store, clock),
                new DescribeTasks(store),
                schedules == null ? null : new ScheduleRoutes(
                        new CreateSchedule(schedules, createTask, TaskIds.create(), clock, config.shortestScheduleRate()),
                        new ListSchedules(schedules), new DeleteSchedule(schedules), LOG));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        APIGatewayV2HTTPResponse response;
        try {
            response = handle(LambdaEvents.read(input, APIGatewayV2HTTPEvent.class));
        } catch (IOException e) {
            LOG.error("event is not an HTTP API event", e, "requestId", context == null ? null : context.getAwsRequestId());
            response = Problems.render(Problems.internal(), null).toEvent();
        }
        LambdaEvents.write(response, output);
    }

    /** The typed entry: one HTTP API (payload 2.0) event, one response. */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        return api.handle(HttpRequest.fromEvent(event)).toEvent();
    }

    /** The SDK clients of the Lambda wiring, for the SnapStart priming; null for handlers built on given ports. */
    AwsClients clients() {
        return clients;
    }

    /** For tests: the routed API without the Lambda envelope. */
    public TaskApi api() {
        return api;
    }
}
