package dev.longhaul.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbSecretKeys;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.kms.KmsEnvelope;
import dev.longhaul.aws.dynamodb.DynamoDbWaitSlots;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.testing.InMemoryWaitSlots;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The per-owner cap on concurrent {@code Prefer: wait} polls, through the API handler on DynamoDB
 * Local: with wait slots in memory standing in for the shared store (other instances' waits are
 * slots taken directly), and as the Lambda wiring runs it, with the slots in the table shared by
 * several handler instances. Over the cap the answer comes at once, without
 * {@code Preference-Applied}; every wait gives its slot back, however it ends.
 */
class WaitCapApiTest {
    private static final int MAX_WAITS = 2;
    private static TestCloud cloud;
    private static ApiConfig config;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        config = ApiConfig.from(Environment.of(cloud.environment("ApiFunction")));
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    private static ApiInvoker api(InMemoryWaitSlots slots) {
        return api(config, slots);
    }

    private static ApiInvoker api(ApiConfig config, InMemoryWaitSlots slots) {
        AwsClients aws = cloud.clients();
        return new ApiInvoker(new ApiHandler(config, new DynamoDbTaskStore(aws.dynamoDb(), config.tableName()),
                new SqsWorkQueue(aws.sqs(), config.queueUrl()), new S3ResultStore(aws.s3(), aws.presigner(), config.bucket()),
                new DynamoDbSecretKeys(aws.dynamoDb(), config.tableName(),
                        new KmsEnvelope(aws::kms, config.secretsKeyArn(), config.tableName())), JobRegistry.builtIn(), Clock.systemUTC(),
                null, null, slots));
    }

    private static String created(ApiInvoker api) {
        ApiInvoker.Response created = api.invoke("api-create-task.json");
        assertEquals(202, created.status(), created.body());
        return created.json().string("id");
    }

    private static Map<String, Object> waitingGet(String id, int seconds) {
        return TaskEvents.withHeader(TaskEvents.get(id), "prefer", "wait=" + seconds);
    }

    @Test
    void overTheCapTheAnswerComesAtOnceWithoutPreferenceApplied() {
        InMemoryWaitSlots slots = new InMemoryWaitSlots(MAX_WAITS);
        ApiInvoker api = api(slots);
        String id = created(api);
        for (int i = 0; i < MAX_WAITS; i++) {
            assertTrue(slots.tryAcquire(TaskEvents.ALICE, Clock.systemUTC().instant()).isPresent());
        }

        ApiInvoker.Response refused = api.invoke(waitingGet(id, 10));
        assertEquals(200, refused.status(), refused.body());
        assertEquals("queued", refused.json().string("status"));
        assertNull(refused.header("Preference-Applied"));
        assertEquals(MAX_WAITS, slots.held(TaskEvents.ALICE));

        // the same poll without Prefer: wait is untouched by the cap
        assertEquals(200, api.invoke(TaskEvents.get(id)).status());
    }

    @Test
    void underTheCapTheWaitIsHonouredAndItsSlotGivenBack() {
        InMemoryWaitSlots slots = new InMemoryWaitSlots(MAX_WAITS);
        ApiInvoker api = api(slots);
        String id = created(api);
        slots.tryAcquire(TaskEvents.ALICE, Clock.systemUTC().instant());

        ApiInvoker.Response waited = api.invoke(waitingGet(id, 1));
        assertEquals(200, waited.status(), waited.body());
        assertEquals("wait=1", waited.header("Preference-Applied"));
        assertEquals(1, slots.held(TaskEvents.ALICE), "the wait's own slot is back");
    }

    @Test
    void unreachableSlotsAnswerAtOnceWithoutPreferenceApplied() {
        InMemoryWaitSlots slots = new InMemoryWaitSlots(MAX_WAITS);
        ApiInvoker api = api(slots);
        String id = created(api);
        slots.failNext(1);
        ApiInvoker.Response response = api.invoke(waitingGet(id, 10));
        assertEquals(200, response.status(), response.body());
        assertNull(response.header("Preference-Applied"));
    }

    private static Map<String, String> environment(int maxWaits) {
        Map<String, String> environment = new HashMap<>(cloud.environment("ApiFunction"));
        environment.put("MAX_WAITS_PER_OWNER", Integer.toString(maxWaits));
        return environment;
    }

    private static DynamoDbWaitSlots tableSlots() {
        return new DynamoDbWaitSlots(cloud.clients().dynamoDb(), cloud.tableName(), 1);
    }

    @Test
    void theLambdaWiringCountsWaitsInTheTableSoTheCapHoldsAcrossInstances() throws Exception {
        ApiInvoker first = new ApiInvoker(new ApiHandler(environment(1)));
        ApiInvoker second = new ApiInvoker(new ApiHandler(environment(1)));
        String id = created(first);
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<ApiInvoker.Response> waiting = waiter.submit(() -> first.invoke(waitingGet(id, 10)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tableSlots().held(TaskEvents.ALICE).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the first instance's wait took no slot");
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }

            ApiInvoker.Response refused = second.invoke(waitingGet(id, 10));
            assertEquals(200, refused.status(), refused.body());
            assertNull(refused.header("Preference-Applied"), "the other instance's wait holds the owner's one slot");

            // the task changes: the first wait answers at its next read and gives its slot back
            assertEquals(200, second.invoke(TaskEvents.cancel(id)).status());
            ApiInvoker.Response waited = waiting.get(30, TimeUnit.SECONDS);
            assertEquals("wait=10", waited.header("Preference-Applied"));
            assertEquals("cancelled", waited.json().string("status"));
            assertEquals(List.of(), tableSlots().held(TaskEvents.ALICE));
        } finally {
            waiter.shutdownNow();
        }
    }

    @Test
    void aWaitWhoseReadFailsGivesItsSlotBack() {
        // every GetItem after the wait took its slot fails, as a table that stops answering would
        AtomicBoolean slotTaken = new AtomicBoolean();
        AtomicBoolean failing = new AtomicBoolean(true);
        ExecutionInterceptor failReadsAfterAcquire = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                if (operation.equals("UpdateItem")) {
                    slotTaken.set(true);
                } else if (operation.equals("GetItem") && slotTaken.get() && failing.get()) {
                    throw SdkClientException.create("injected: the table stopped answering reads");
                }
            }
        };
        Map<String, String> environment = environment(1);
        ApiInvoker api = new ApiInvoker(new ApiHandler(environment,
                AwsClients.fromEnvironment(environment, AwsClients.Timeouts.api(), List.of(failReadsAfterAcquire))));
        String id = created(api);

        ApiInvoker.Response failed = api.invoke(waitingGet(id, 10));
        assertEquals(503, failed.status(), failed.body());
        assertTrue(slotTaken.get());
        assertEquals(List.of(), tableSlots().held(TaskEvents.ALICE), "released on the way out");
        failing.set(false);
        assertEquals("wait=1", api.invoke(waitingGet(id, 1)).header("Preference-Applied"), "the slot is free");
    }

    @Test
    void theCapIsReadFromMaxWaitsPerOwnerAndZeroTurnsItOff() {
        assertEquals(5, config.maxWaitsPerOwner(), "the default");
        Map<String, String> environment = new HashMap<>(cloud.environment("ApiFunction"));
        environment.put("MAX_WAITS_PER_OWNER", "0");
        ApiConfig off = ApiConfig.from(Environment.of(environment));
        assertEquals(0, off.maxWaitsPerOwner());
        environment.put("MAX_WAITS_PER_OWNER", "-1");
        assertThrows(IllegalStateException.class, () -> ApiConfig.from(Environment.of(environment)));

        // with the cap at 0, slots are not even asked
        InMemoryWaitSlots full = new InMemoryWaitSlots(0);
        ApiInvoker uncapped = api(off, full);
        String id = created(uncapped);
        assertEquals("wait=1", uncapped.invoke(waitingGet(id, 1)).header("Preference-Applied"));
    }
}
