package dev.longhaul.bench;

import dev.longhaul.api.ApiHandler;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.emulators.SqsEvents;
import dev.longhaul.worker.WorkerHandler;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * {@code demo.sleep} tasks of 0 seconds, created through the API handler by a few client threads
 * while a few pollers play Lambda's SQS event source mapping (receive up to 10, invoke the worker
 * handler, delete what it did not report as failed). Handlers, emulators and harness share this
 * JVM and the machine's cores.
 */
final class Throughput {
    private static final int CREATORS = 4;
    private static final int POLLERS = 4;
    private static final int OWNERS = 50;
    private static final String BODY = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1}}";

    private final LocalCloud cloud;
    private final PrintStream out;

    Throughput(LocalCloud cloud, PrintStream out) {
        this.cloud = cloud;
        this.out = out;
    }

    String run(int tasks) throws InterruptedException {
        cloud.purgeQueue();
        // Tasks are spread over owners: each owner may have only so many active tasks at once.
        List<String> events = new ArrayList<>();
        for (int owner = 0; owner < OWNERS; owner++) {
            events.add(Invocations.createEvent(cloud.workspaceRoot(), BODY, "bench-owner-" + owner));
        }
        List<Double> createMillis = Collections.synchronizedList(new ArrayList<>());
        List<Double> queueWaitMillis = Collections.synchronizedList(new ArrayList<>());
        List<Double> workerMillisPerTask = Collections.synchronizedList(new ArrayList<>());
        List<Double> batchSizes = Collections.synchronizedList(new ArrayList<>());
        List<Double> receiveMillis = Collections.synchronizedList(new ArrayList<>());
        List<Double> deleteMillis = Collections.synchronizedList(new ArrayList<>());
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger processed = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        out.println("Throughput: " + tasks + " demo.sleep tasks, " + CREATORS + " creating threads, "
                + POLLERS + " pollers ...");

        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CREATORS; c++) {
            ApiHandler api = new ApiHandler(cloud.environment("ApiFunction"));
            threads.add(start("creator-" + c, () -> {
                int n;
                while ((n = next.getAndIncrement()) < tasks) {
                    long t = System.nanoTime();
                    ids.add(Invocations.createdId(Invocations.invoke(api, events.get(n % OWNERS))));
                    createMillis.add((System.nanoTime() - t) / 1e6);
                }
            }));
        }
        long[] finished = new long[1];
        for (int p = 0; p < POLLERS; p++) {
            WorkerHandler worker = new WorkerHandler(cloud.environment("WorkerFunction"));
            threads.add(start("poller-" + p, () -> {
                while (processed.get() < tasks) {
                    long r = System.nanoTime();
                    List<Message> messages = cloud.receive(10, 1);
                    receiveMillis.add((System.nanoTime() - r) / 1e6);
                    if (messages.isEmpty()) {
                        continue;
                    }
                    long received = System.currentTimeMillis();
                    for (Message message : messages) {
                        String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
                        queueWaitMillis.add((double) (received - Long.parseLong(sent)));
                    }
                    long w = System.nanoTime();
                    Map<String, Object> response = Invocations.invoke(worker,
                            Json.write(SqsEvents.of(messages, "arn:aws:sqs:us-east-1:000000000000:WorkQueue")));
                    double batch = (System.nanoTime() - w) / 1e6;
                    batchSizes.add((double) messages.size());
                    for (int i = 0; i < messages.size(); i++) {
                        workerMillisPerTask.add(batch / messages.size());
                    }
                    List<?> failures = (List<?>) response.get("batchItemFailures");
                    String failed = Json.write(failures);
                    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
                    for (Message message : messages) {
                        if (failed.contains(message.messageId())) {
                            retried.incrementAndGet();
                        } else {
                            done.add(DeleteMessageBatchRequestEntry.builder()
                                    .id(Integer.toString(done.size())).receiptHandle(message.receiptHandle()).build());
                        }
                    }
                    long d = System.nanoTime();
                    if (!done.isEmpty()) {
                        cloud.clients().sqs().deleteMessageBatch(delete -> delete.queueUrl(cloud.queueUrl()).entries(done));
                    }
                    deleteMillis.add((System.nanoTime() - d) / 1e6);
                    if (processed.addAndGet(done.size()) >= tasks) {
                        synchronized (finished) {
                            if (finished[0] == 0) {
                                finished[0] = System.nanoTime();
                            }
                        }
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (finished[0] - start) / 1e9;
        int succeeded = 0;
        for (String id : ids) {
            Task task = cloud.find(id);
            if (task != null && task.status() == TaskStatus.SUCCEEDED) {
                succeeded++;
            }
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "### Throughput: %,d demo.sleep tasks (seconds 0), in process%n%n", tasks));
        md.append(String.format(Locale.ROOT, "%d creating threads (one ApiHandler each), %d pollers emulating the SQS "
                + "event source mapping (one WorkerHandler each, batches of up to 10), tasks spread over %d owners; handlers, emulators and harness "
                + "in one JVM on %d cores.%n%n", CREATORS, POLLERS, OWNERS, Runtime.getRuntime().availableProcessors()));
        md.append("| figure | value |\n|---|---:|\n");
        md.append(String.format(Locale.ROOT, "| tasks succeeded | %d of %d (%d messages retried) |%n", succeeded, tasks, retried.get()));
        md.append(String.format(Locale.ROOT, "| first create → last task succeeded | %.1f s |%n", seconds));
        md.append(String.format(Locale.ROOT, "| **throughput** | **%.0f tasks/s** |%n", tasks / seconds));
        md.append(row("create (API handler: TransactWriteItems + SendMessage), per task", createMillis));
        md.append(row("queue wait (SentTimestamp → received)", queueWaitMillis));
        md.append(row("worker handler time per task (batch time ÷ batch size)", workerMillisPerTask));
        md.append(row("receive call (1 s long poll)", receiveMillis));
        md.append(row("delete batch call", deleteMillis));
        md.append(String.format(Locale.ROOT, "| mean batch size | %.1f |%n",
                batchSizes.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        md.append("\nCommand: `java -jar infra/bench/target/longhaul-bench.jar throughput ").append(tasks).append("`\n");
        return md.toString();
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        return thread;
    }

    private static String row(String name, List<Double> values) {
        return String.format(Locale.ROOT, "| %s | p50 %.1f ms, p95 %.1f ms, p99 %.1f ms |%n", name,
                Stats.median(values), Stats.percentile(values, 95), Stats.percentile(values, 99));
    }
}
