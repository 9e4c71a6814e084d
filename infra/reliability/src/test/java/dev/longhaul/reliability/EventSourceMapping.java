package dev.longhaul.reliability;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.SampleEvents;
import dev.longhaul.emulators.SqsEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What Lambda's SQS event source mapping does, on real ElasticMQ: threads (one function
 * instance each) receive batches, invoke the handler with the SQS event, and delete every
 * message not reported in {@code batchItemFailures}. An invocation that dies or throws deletes
 * nothing: its messages come back after the visibility timeout. Optionally delivers some
 * messages twice, as SQS's at-least-once delivery may.
 */
final class EventSourceMapping implements AutoCloseable {
    private final String name;
    private final SqsClient sqs;
    private final String queueUrl;
    private final Supplier<RequestStreamHandler> instances;
    private final int batchSize;
    private final int visibilitySeconds;
    private final double duplicateProbability;
    private final Random random;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    final AtomicLong invocations = new AtomicLong();
    final AtomicLong crashed = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final ConcurrentLinkedQueue<Throwable> functionErrors = new ConcurrentLinkedQueue<>();

    EventSourceMapping(String name, SqsClient sqs, String queueUrl, Supplier<RequestStreamHandler> instances,
                       int batchSize, int visibilitySeconds, double duplicateProbability, Random random) {
        this.name = name;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.instances = instances;
        this.batchSize = batchSize;
        this.visibilitySeconds = visibilitySeconds;
        this.duplicateProbability = duplicateProbability;
        this.random = random;
    }

    EventSourceMapping start(int concurrency) {
        for (int i = 0; i < concurrency; i++) {
            RequestStreamHandler handler = instances.get();
            Thread thread = new Thread(() -> poll(handler), name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    private void poll(RequestStreamHandler handler) {
        while (running) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(receive -> receive
                        .queueUrl(queueUrl)
                        .maxNumberOfMessages(batchSize)
                        .waitTimeSeconds(1)
                        .visibilityTimeout(visibilitySeconds)
                        .messageSystemAttributeNamesWithStrings("All")).messages();
            } catch (RuntimeException e) {
                if (running) {
                    functionErrors.add(e);
                }
                continue;
            }
            if (messages.isEmpty()) {
                continue;
            }
            for (Message message : messages) {
                if (duplicateProbability > 0 && random.nextDouble() < duplicateProbability) {
                    sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(message.body()));
                    duplicates.incrementAndGet();
                }
            }
            invocations.incrementAndGet();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(SqsEvents.of(messages))), out, null);
            } catch (WorkerCrash crash) {
                crashed.incrementAndGet();
                continue;
            } catch (Throwable error) {
                functionErrors.add(error);
                continue;
            }
            Set<String> retry = failures(out.toString(StandardCharsets.UTF_8));
            List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
            for (Message message : messages) {
                if (!retry.contains(message.messageId())) {
                    done.add(DeleteMessageBatchRequestEntry.builder()
                            .id(Integer.toString(done.size())).receiptHandle(message.receiptHandle()).build());
                }
            }
            if (!done.isEmpty()) {
                sqs.deleteMessageBatch(delete -> delete.queueUrl(queueUrl).entries(done));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> failures(String response) {
        Set<String> ids = new HashSet<>();
        for (Object failure : (List<Object>) Json.parseObject(response).get("batchItemFailures")) {
            ids.add((String) ((Map<String, Object>) failure).get("itemIdentifier"));
        }
        return ids;
    }

    /** Stops receiving; invocations under way finish first. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }
}
