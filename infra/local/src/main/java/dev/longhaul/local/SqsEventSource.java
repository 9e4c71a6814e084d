package dev.longhaul.local;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Lambda's SQS event source mapping: long-polls the queue, gathers up to {@code BatchSize} messages
 * within {@code MaximumBatchingWindowInSeconds}, invokes the function with the SQS event, then
 * deletes what succeeded. With {@code ReportBatchItemFailures} the messages named in
 * {@code batchItemFailures} stay; without it a function error leaves the whole batch. What stays
 * comes back after the visibility timeout, and the queue's redrive policy moves it to its DLQ.
 */
final class SqsEventSource implements EventSource {

    static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";
    private static final int LONG_POLL_SECONDS = 10;
    private static final int MAX_RECEIVE = 10;

    private final LocalFunction function;
    private final String eventName;
    private final String queueName;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final SqsClient sqs;
    private final int batchSize;
    private final long windowMillis;
    private final boolean reportFailures;
    private final EventFilter filter;
    private final int pollers;
    private final PrintStream log;
    private final ExecutorService threads;
    private volatile boolean running;

    SqsEventSource(LocalFunction function, FunctionSpec.EventSpec event, String queueName, String queueUrl,
                   String queueArn, String region, SqsClient sqs, int pollers, PrintStream log) {
        Map<String, Object> properties = event.properties();
        this.function = function;
        this.eventName = event.name();
        this.queueName = queueName;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.sqs = sqs;
        this.batchSize = Integer.parseInt(String.valueOf(properties.getOrDefault("BatchSize", 10)));
        this.windowMillis = 1000L * Long.parseLong(String.valueOf(properties.getOrDefault("MaximumBatchingWindowInSeconds", 0)));
        this.reportFailures = properties.get("FunctionResponseTypes") instanceof List<?> types
                && types.contains(REPORT_BATCH_ITEM_FAILURES);
        this.filter = EventFilter.of(properties.get("FilterCriteria"));
        this.pollers = pollers;
        this.log = log;
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(pollers, runnable -> {
            Thread thread = new Thread(runnable, "sqs-" + function.spec().logicalId() + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String describe() {
        return "SQS " + queueName + " -> " + function.spec().logicalId() + "." + eventName + " (batch " + batchSize
                + ", window " + windowMillis / 1000 + " s, " + (reportFailures ? REPORT_BATCH_ITEM_FAILURES : "whole-batch retries")
                + (filter.isEmpty() ? "" : ", filtered") + ", " + pollers + " pollers)";
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < pollers; i++) {
            threads.execute(this::poll);
        }
    }

    private void poll() {
        while (running) {
            try {
                List<Message> batch = gather();
                if (!batch.isEmpty() && running) {
                    deliver(batch);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.println(function.spec().logicalId() + ": polling " + queueName + " failed: " + e.getMessage());
                sleep(1000);
            }
        }
    }

    private List<Message> gather() {
        List<Message> batch = new ArrayList<>(receive(Math.min(MAX_RECEIVE, batchSize), LONG_POLL_SECONDS));
        if (batch.isEmpty() || windowMillis == 0) {
            return batch;
        }
        long deadline = System.currentTimeMillis() + windowMillis;
        while (running && batch.size() < batchSize) {
            long remaining = deadline - System.currentTimeMillis();
            if (remaining <= 0) {
                break;
            }
            List<Message> more = receive(Math.min(MAX_RECEIVE, batchSize - batch.size()), (int) (remaining / 1000));
            batch.addAll(more);
            if (more.isEmpty() && remaining < 1000) {
                sleep(Math.min(remaining, 100));
            }
        }
        return batch;
    }

    private List<Message> receive(int max, int waitSeconds) {
        return sqs.receiveMessage(receive -> receive
                .queueUrl(queueUrl)
                .maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNamesWithStrings("All")
                .messageAttributeNames("All")).messages();
    }

    private void deliver(List<Message> received) {
        List<Message> batch = new ArrayList<>();
        List<Map<String, Object>> records = new ArrayList<>();
        List<Message> filteredOut = new ArrayList<>();
        for (Message message : received) {
            Map<String, Object> record = record(message);
            if (filter.matches(record)) {
                batch.add(message);
                records.add(record);
            } else {
                filteredOut.add(message);
            }
        }
        // Lambda deletes the messages its filter drops.
        delete(filteredOut);
        if (batch.isEmpty()) {
            return;
        }
        byte[] event = LambdaPayloads.sqs(Map.of("Records", records));
        Invocation invocation = function.invoke(event);
        if (invocation.failed()) {
            log.printf("%s: batch of %d from %s failed (%s: %s); left to the visibility timeout and redrive%n",
                    function.spec().logicalId(), batch.size(), queueName, invocation.errorType(), invocation.errorMessage());
            return;
        }
        if (!reportFailures) {
            delete(batch);
            return;
        }
        Set<String> failed = failedIds(invocation.outputText(), batch);
        if (failed == null) {
            log.printf("%s: batchItemFailures names no message of the batch; the whole batch of %d is retried%n",
                    function.spec().logicalId(), batch.size());
            return;
        }
        if (!failed.isEmpty()) {
            log.printf("%s: %d of %d messages reported failed; left to the visibility timeout and redrive%n",
                    function.spec().logicalId(), failed.size(), batch.size());
        }
        delete(batch.stream().filter(message -> !failed.contains(message.messageId())).toList());
    }

    /** The ids the function reported failed; null when the response is malformed, which fails the whole batch. */
    static Set<String> failedIds(String output, List<Message> batch) {
        if (output.isBlank()) {
            return Set.of();
        }
        Object response;
        try {
            response = Json.parse(output);
        } catch (JsonException e) {
            return null;
        }
        if (response == null) {
            return Set.of();
        }
        if (!(response instanceof Map<?, ?> map)) {
            return null;
        }
        Object failures = map.get("batchItemFailures");
        if (failures == null) {
            return Set.of();
        }
        if (!(failures instanceof List<?> list)) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        Set<String> known = new HashSet<>(batch.stream().map(Message::messageId).toList());
        for (Object failure : list) {
            Object id = failure instanceof Map<?, ?> item ? item.get("itemIdentifier") : null;
            if (id == null || String.valueOf(id).isBlank() || !known.contains(String.valueOf(id))) {
                return null;
            }
            ids.add(String.valueOf(id));
        }
        return ids;
    }

    private void delete(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += MAX_RECEIVE) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_RECEIVE));
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            var response = sqs.deleteMessageBatch(delete -> delete.queueUrl(queueUrl).entries(entries));
            if (response.hasFailed() && !response.failed().isEmpty()) {
                log.println(function.spec().logicalId() + ": could not delete " + response.failed().size()
                        + " messages from " + queueName + ": " + response.failed().get(0).message());
            }
        }
    }

    private Map<String, Object> record(Message message) {
        return record(message, queueArn, region);
    }

    /** The record as Lambda writes it in an SQS event. */
    static Map<String, Object> record(Message message, String queueArn, String region) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        Map<String, Object> attributes = new LinkedHashMap<>();
        message.attributesAsStrings().forEach(attributes::put);
        record.put("attributes", attributes);
        Map<String, Object> messageAttributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> messageAttributes.put(name, messageAttribute(value)));
        record.put("messageAttributes", messageAttributes);
        record.put("md5OfBody", message.md5OfBody());
        if (message.md5OfMessageAttributes() != null) {
            record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
        }
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", queueArn);
        record.put("awsRegion", region);
        return record;
    }

    private static Map<String, Object> messageAttribute(MessageAttributeValue value) {
        Map<String, Object> attribute = new LinkedHashMap<>();
        attribute.put("stringValue", value.stringValue());
        attribute.put("binaryValue", value.binaryValue() == null ? null
                : Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        attribute.put("stringListValues", value.stringListValues());
        attribute.put("binaryListValues", value.binaryListValues().stream()
                .map(bytes -> Base64.getEncoder().encodeToString(bytes.asByteArray())).toList());
        attribute.put("dataType", value.dataType());
        return attribute;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        threads.shutdownNow();
    }
}
