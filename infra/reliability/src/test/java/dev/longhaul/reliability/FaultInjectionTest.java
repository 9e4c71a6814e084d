package dev.longhaul.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.api.ApiHandler;
import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.FaultInjector;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.aws.s3.S3ResultStore;
import dev.longhaul.aws.sqs.SqsMessageVisibility;
import dev.longhaul.aws.sqs.SqsWorkQueue;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.job.builtin.FailJob;
import dev.longhaul.core.job.builtin.SleepJob;
import dev.longhaul.core.job.builtin.StockReportJob;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.SampleEvents;
import dev.longhaul.maintenance.DeadLetterHandler;
import dev.longhaul.maintenance.SweeperHandler;
import dev.longhaul.worker.WorkerConfig;
import dev.longhaul.worker.WorkerHandler;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * End to end under faults: tasks are created through the real API handler, run by the real
 * worker handler fed by an emulated event source mapping, swept by the real sweeper and
 * dead-lettered through the real dead-letter handler, all on the in-JVM emulators, while
 * DynamoDB throttles, S3 writes and SQS sends fail ({@code LONGHAUL_FAULTS}), workers die
 * mid-job and after storing a result, and messages are delivered twice. Every accepted task must
 * end within the bound, none may vanish, no result may be written twice, and every owner's
 * active count must return to 0.
 *
 * <p>Size with {@code -Dlonghaul.reliability.tasks=N} (CI: the module's default).
 */
class FaultInjectionTest {
    private static final String FAULTS = "dynamodb.throttle=0.05,s3.put=0.1,sqs.send=0.3";
    private static final double CRASH_MID_JOB = 0.05;
    private static final double CRASH_AFTER_WRITE = 0.03;
    private static final double DUPLICATE_DELIVERY = 0.05;
    private static final long BOUND_SECONDS = 120;
    private static final int OWNERS = 10;
    private static final int WORKERS = 4;
    private static final int CLIENTS = 4;

    @Test
    void everyAcceptedTaskEndsNoneIsLostAndNoResultIsWrittenTwice() throws Exception {
        int tasks = Integer.getInteger("longhaul.reliability.tasks", 1000);
        long seed = Long.getLong("longhaul.reliability.seed", 20261125L);
        TestCloud cloud = TestCloud.get();
        cloud.reset();
        FaultInjector.resetCounts();
        Random random = new Random(seed);

        // handler logs (one JSON line per event, thousands of them) go to a file, not the build log
        PrintStream console = System.out;
        Path logFile = Path.of("target", "reliability-run.log");
        Files.createDirectories(logFile.getParent());
        PrintStream log = new PrintStream(new BufferedOutputStream(new FileOutputStream(logFile.toFile()), 1 << 16),
                false, StandardCharsets.UTF_8);
        System.setOut(log);
        try {
            run(cloud, tasks, seed, random, console);
        } finally {
            System.out.flush();
            System.setOut(console);
        }
    }

    private void run(TestCloud cloud, int tasks, long seed, Random random, PrintStream console) throws Exception {
        long started = System.nanoTime();
        AtomicLong midJobCrashes = new AtomicLong();
        AtomicLong afterWriteCrashes = new AtomicLong();

        // API: the real handler, wired from its template environment
        ApiHandler api = new ApiHandler(environment(cloud, "ApiFunction", seed + 1));

        // worker: the real handler on clients that count result writes and may die after one
        Map<String, String> workerEnv = environment(cloud, "WorkerFunction", seed + 2);
        ResultWrites resultWrites = new ResultWrites(CRASH_AFTER_WRITE, new Random(seed + 3), afterWriteCrashes);
        AwsClients workerClients = AwsClients.fromEnvironment(workerEnv, List.of(resultWrites));
        WorkerConfig workerConfig = WorkerConfig.from(Environment.of(workerEnv));
        Random crashDraws = new Random(seed + 4);
        JobRegistry crashingJobs = JobRegistry.empty()
                .register(new CrashingJob(new SleepJob(), CRASH_MID_JOB, crashDraws, midJobCrashes))
                .register(new CrashingJob(new FailJob(), CRASH_MID_JOB, crashDraws, midJobCrashes))
                .register(new CrashingJob(new StockReportJob(), CRASH_MID_JOB, crashDraws, midJobCrashes));
        DynamoDbTaskStore workerStore = new DynamoDbTaskStore(workerClients.dynamoDb(), workerConfig.tableName());
        S3ResultStore workerResults = new S3ResultStore(workerClients.s3(), null,
                workerConfig.bucket());
        SqsMessageVisibility visibility = new SqsMessageVisibility(workerClients.sqs(), workerConfig.queueUrl());

        // the mappings poll with the test's own clients: Lambda's poller is not ours to break
        EventSourceMapping workers = new EventSourceMapping("worker", cloud.clients().sqs(), cloud.queueUrl(),
                () -> new WorkerHandler(workerConfig, workerStore, workerResults, visibility,
                        new SqsWorkQueue(workerClients.sqs(), workerConfig.queueUrl()), crashingJobs, Clock.systemUTC()),
                5, 5, DUPLICATE_DELIVERY, new Random(seed + 5)).start(WORKERS);
        DeadLetterHandler deadLetters = new DeadLetterHandler(environment(cloud, "DeadLetterFunction", seed + 6));
        EventSourceMapping deadLetterMapping = new EventSourceMapping("dead-letters", cloud.clients().sqs(),
                cloud.deadLetterQueueUrl(), () -> deadLetters, 10, 5, 0, random).start(1);
        SweeperHandler sweeper = new SweeperHandler(environment(cloud, "SweeperFunction", seed + 7));
        AtomicLong sweeps = new AtomicLong();
        AtomicLong failedSweeps = new AtomicLong();
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor();
        byte[] sweepEvent = SampleEvents.bytes(SampleEvents.load("schedule-sweep.json"));
        schedule.scheduleWithFixedDelay(() -> {
            try {
                sweeper.handleRequest(new ByteArrayInputStream(sweepEvent), new ByteArrayOutputStream(), null);
                sweeps.incrementAndGet();
            } catch (Throwable e) {
                // the sweep met an injected fault it could not retry past; the next one resumes
                failedSweeps.incrementAndGet();
            }
        }, 1, 1, TimeUnit.SECONDS);

        // create the tasks from several clients at once
        Map<String, String> accepted = new ConcurrentHashMap<>();
        Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < tasks; i++) {
            String owner = "owner-" + (i % OWNERS);
            String body = body(i, random);
            clients.execute(() -> create(api, owner, body, accepted, rejected, unexpected));
        }
        clients.shutdown();
        assertTrue(clients.awaitTermination(10, TimeUnit.MINUTES), "creates did not finish");
        long created = System.nanoTime();

        // wait until every accepted task is terminal, or the bound passes
        long deadline = created + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        Map<String, String> statuses = statuses(cloud);
        while (System.nanoTime() < deadline && !allTerminal(accepted.keySet(), statuses)) {
            Thread.sleep(1000);
            statuses = statuses(cloud);
        }
        long settled = System.nanoTime();
        workers.close();
        deadLetterMapping.close();
        schedule.shutdownNow();
        schedule.awaitTermination(30, TimeUnit.SECONDS);

        // judge from the store itself, with clients free of faults
        DynamoDbTaskStore store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
        Set<String> resultKeys = new HashSet<>(cloud.resultKeys());
        int lost = 0;
        int stuck = 0;
        int missingResults = 0;
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Map.Entry<String, String> entry : accepted.entrySet()) {
            Optional<Task> task = store.find(entry.getKey());
            if (task.isEmpty()) {
                lost++;
                continue;
            }
            Task t = task.get();
            if (!t.isTerminal()) {
                stuck++;
            }
            String outcome = entry.getValue() + ":" + t.status().wire() + (t.error() == null ? "" : "/" + t.error().code());
            outcomes.merge(outcome, 1, Integer::sum);
            if (t.status() == TaskStatus.SUCCEEDED && !resultKeys.contains(S3ResultStore.key(t.id()))) {
                missingResults++;
            }
        }
        Map<String, Integer> writtenTwice = new TreeMap<>();
        resultWrites.writes().forEach((key, count) -> {
            if (count > 1) {
                writtenTwice.put(key, count);
            }
        });
        int duplicated = writtenTwice.size();
        Map<String, Long> active = new TreeMap<>();
        for (int i = 0; i < OWNERS; i++) {
            long count = store.activeCount("owner-" + i);
            if (count != 0) {
                active.put("owner-" + i, count);
            }
        }
        int storedTasks = cloud.taskCount();
        long rejectedCount = rejected.values().stream().mapToLong(AtomicLong::get).sum();
        Map<String, Long> injected = FaultInjector.injected();

        String summary = String.format(java.util.Locale.ROOT,
                "reliability: tasks=%d created=%d rejected=%d%s faults{crash=%d,crashAfterWrite=%d,duplicate=%d,"
                        + "s3put=%d,ddbThrottle=%d,sqsSend=%d} lost=%d duplicated=%d stuck=%d elapsed=%.1fs "
                        + "(create %.1fs, settle %.1fs; seed=%d, sweeps=%d, sweepsAborted=%d, invocations=%d, "
                        + "deadLetterInvocations=%d)",
                tasks, accepted.size(), rejectedCount, rejected.isEmpty() ? "" : rejectedByStatus(rejected),
                midJobCrashes.get(), afterWriteCrashes.get(), workers.duplicates.get(),
                injected.get("s3.put"), injected.get("dynamodb.throttle"), injected.get("sqs.send"),
                lost, duplicated, stuck, (settled - started) / 1e9, (created - started) / 1e9,
                (settled - created) / 1e9, seed, sweeps.get(), failedSweeps.get(), workers.invocations.get(),
                deadLetterMapping.invocations.get());
        String details = "reliability outcomes (type:status/error): " + outcomes;
        console.println(summary);
        console.println(details);

        assertTrue(unexpected.isEmpty(), "unexpected create answers: " + unexpected);
        assertTrue(workers.functionErrors.isEmpty() && deadLetterMapping.functionErrors.isEmpty(),
                "function errors (not simulated crashes): " + first(workers.functionErrors)
                        + first(deadLetterMapping.functionErrors));
        assertEquals(0, lost, summary);
        assertEquals(0, duplicated, summary + " written twice: " + writtenTwice);
        assertEquals(0, stuck, summary + "\n" + details);
        assertEquals(0, missingResults, "succeeded tasks without a result object\n" + summary);
        assertEquals(accepted.size(), storedTasks, "a rejected create left a task behind\n" + summary);
        assertEquals(Map.of(), active, "owners' active counts did not return to 0\n" + summary);
        // at a few hundred tasks every kind of fault is all but certain to have been drawn
        boolean everyKindDrawn = midJobCrashes.get() > 0 && afterWriteCrashes.get() > 0 && workers.duplicates.get() > 0
                && injected.values().stream().allMatch(n -> n > 0);
        assertTrue(tasks < 200 || everyKindDrawn, "every kind of fault was injected\n" + summary);
    }

    /** The function's template environment with the test's pacing and the faults switched on. */
    private static Map<String, String> environment(TestCloud cloud, String function, long seed) {
        Map<String, String> env = new HashMap<>(cloud.environment(function));
        env.put("LEASE_SECONDS", "2");
        env.put("PROGRESS_INTERVAL_MILLIS", "100");
        env.put("RETRY_BASE_SECONDS", "1");
        env.put("RETRY_MAX_SECONDS", "4");
        env.put("MAX_ATTEMPTS", "5");
        env.put("MAX_ACTIVE_TASKS_PER_OWNER", "0");
        env.put(FaultInjector.VARIABLE, FAULTS);
        env.put(FaultInjector.SEED_VARIABLE, Long.toString(seed));
        return env;
    }

    /** 80 % demo.sleep of 0 s in a few steps, 15 % report.stock of a few thousand rows, 5 % demo.fail. */
    private static String body(int i, Random random) {
        int draw = random.nextInt(100);
        Map<String, Object> body = new LinkedHashMap<>();
        if (draw < 80) {
            body.put("type", "demo.sleep");
            body.put("parameters", Map.of("seconds", 0, "steps", 1 + random.nextInt(5)));
        } else if (draw < 95) {
            body.put("type", "report.stock");
            body.put("parameters", Map.of("rows", 1000 + random.nextInt(4000), "seed", random.nextInt(),
                    "format", random.nextBoolean() ? "csv" : "json"));
        } else {
            body.put("type", "demo.fail");
            body.put("parameters", Map.of("message", "planned failure " + i));
        }
        body.put("description", "reliability " + i);
        return Json.write(body);
    }

    @SuppressWarnings("unchecked")
    private static void create(ApiHandler api, String owner, String body, Map<String, String> accepted,
                               Map<String, AtomicLong> rejected, List<String> unexpected) {
        Map<String, Object> event = SampleEvents.withBody("api-create-task.json", body);
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) context.get("authorizer")).get("jwt"))
                .get("claims")).put("sub", owner);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            api.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(event)), out, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Object> response = Json.parseObject(out.toString(StandardCharsets.UTF_8));
        int status = ((Number) response.get("statusCode")).intValue();
        Map<String, Object> answer = Json.parseObject((String) response.get("body"));
        if (status == 202) {
            accepted.put((String) answer.get("id"), (String) answer.get("type"));
        } else if (status == 503) {
            // the enqueue failed and the write was undone (queue-unavailable), or DynamoDB throttled
            // through every SDK retry (service-unavailable): the client is told to retry; counted by
            // code, so a task left behind can be traced to its path
            rejected.computeIfAbsent(status + " " + answer.get("code"), s -> new AtomicLong()).incrementAndGet();
        } else {
            unexpected.add(status + " " + answer);
        }
    }

    private static String rejectedByStatus(Map<String, AtomicLong> rejected) {
        Map<String, Long> byStatus = new TreeMap<>();
        rejected.forEach((status, count) -> byStatus.put(status, count.get()));
        return byStatus.toString();
    }

    private static String first(Iterable<Throwable> errors) {
        for (Throwable e : errors) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            return trace.toString();
        }
        return "";
    }

    private static boolean allTerminal(Set<String> ids, Map<String, String> statuses) {
        for (String id : ids) {
            TaskStatus status = TaskStatus.fromWire(statuses.get(id));
            if (status == null || !status.isTerminal()) {
                return false;
            }
        }
        return true;
    }

    /** Every task's stored status, by id: one consistent scan. */
    private static Map<String, String> statuses(TestCloud cloud) {
        Map<String, String> statuses = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = cloud.clients().dynamoDb().scan(scan -> scan
                    .tableName(cloud.tableName()).consistentRead(true)
                    .projectionExpression("#id, #status")
                    .expressionAttributeNames(Map.of("#id", "id", "#status", "status"))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                if (item.containsKey("status")) {
                    statuses.put(item.get("id").s(), item.get("status").s());
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return statuses;
    }
}
