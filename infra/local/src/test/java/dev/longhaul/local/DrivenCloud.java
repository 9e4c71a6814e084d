package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.longhaul.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A local cloud whose worker, sweeper and dead-letter consumer have no events wired, and what a
 * test needs to drive them: tasks created over HTTP, put in the state a path starts from, and the
 * events Lambda would build for them.
 */
final class DrivenCloud {

    static final List<String> DRIVEN = List.of("WorkerFunction", "SweeperFunction", "DeadLetterFunction");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final LocalCloud cloud;

    DrivenCloud(LocalCloudOptions.Builder options) {
        DRIVEN.forEach(options::withoutEvents);
        this.cloud = LocalCloud.start(options.build());
    }

    LocalCloud cloud() {
        return cloud;
    }

    /** A 100-row report task of {@code owner}'s, queued; its id. */
    String create(String owner) {
        HttpResponse<String> created = Http.postJson(cloud.baseUrl().resolve("/v1/tasks"), Http.token(owner),
                "{\"type\":\"report.stock\",\"parameters\":{\"rows\":100,\"format\":\"csv\"}}");
        assertEquals(202, created.statusCode(), created.body());
        String location = created.headers().firstValue("location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    Map<String, Object> task(String owner, String id) {
        HttpResponse<String> task = Http.get(cloud.baseUrl().resolve("/v1/tasks/" + id), Http.token(owner));
        Map<String, Object> body = new java.util.LinkedHashMap<>(Json.parseObject(task.body()));
        body.put("httpStatus", task.statusCode());
        return body;
    }

    /** Makes the task look as if its message was lost long ago: due for the sweeper. */
    void lose(String id) {
        Message lost = workMessage(id);
        cloud.backend().sqs().deleteMessage(delete -> delete.queueUrl(queueUrl("WorkQueue")).receiptHandle(lost.receiptHandle()));
        String past = Instant.now().minus(Duration.ofMinutes(10)).toString();
        update(id, "SET updatedAt = :past, sweepAt = :past", Map.of(":past", AttributeValue.fromS(past)));
    }

    /**
     * Makes the task look as if an earlier attempt started and died before storing anything; the
     * item moves on from the queued message's snapshot, so the worker reads it back.
     */
    void crashedAttempt(String id) {
        update(id, "SET attempts = :one, revision = revision + :one", Map.of(":one", AttributeValue.fromN("1")));
    }

    /**
     * Makes the task look as if it ran {@code attempts} times, each worker dying with it, the last
     * lease long expired: due for the sweeper, which fails it once its attempts are spent.
     */
    void abandoned(String id, int attempts) {
        Message message = workMessage(id);
        cloud.backend().sqs().deleteMessage(delete -> delete.queueUrl(queueUrl("WorkQueue")).receiptHandle(message.receiptHandle()));
        String past = Instant.now().minus(Duration.ofMinutes(10)).toString();
        List<Object> executions = new java.util.ArrayList<>();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Map<String, Object> execution = new java.util.LinkedHashMap<>();
            execution.put("attempt", attempt);
            execution.put("startedAt", past);
            execution.put("finishedAt", null);
            execution.put("outcome", "running"); // as a worker that died left it
            execution.put("error", null);
            executions.add(execution);
        }
        cloud.backend().dynamoDb().updateItem(update -> update
                .tableName(cloud.stack().physicalId("TasksTable"))
                .key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression("SET #status = :running, attempts = :attempts, executions = :executions,"
                        + " startedAt = :past, leaseUntil = :past, updatedAt = :past, sweepAt = :past,"
                        + " revision = revision + :one")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":running", AttributeValue.fromS("running"),
                        ":attempts", AttributeValue.fromN(Integer.toString(attempts)),
                        ":executions", AttributeValue.fromS(Json.write(executions)), ":past", AttributeValue.fromS(past),
                        ":one", AttributeValue.fromN("1"))));
    }

    private void update(String id, String expression, Map<String, AttributeValue> values) {
        cloud.backend().dynamoDb().updateItem(update -> update
                .tableName(cloud.stack().physicalId("TasksTable"))
                .key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression(expression)
                .expressionAttributeValues(values));
    }

    Invocation sweep() {
        Path file = Path.of(System.getProperty("longhaul.events.dir", "../../events")).resolve("schedule-sweep.json");
        try {
            return cloud.invoke("SweeperFunction", Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Delivers the task's work message to {@code function} as if it came from {@code queue}. */
    Invocation deliver(String id, String function, String queue) {
        Map<String, Object> record = SqsEventSource.record(workMessage(id), cloud.stack().attribute(queue, "Arn"),
                cloud.stack().region());
        return cloud.invoke(function, LambdaPayloads.sqs(Map.of("Records", List.of(record))));
    }

    private String queueUrl(String queue) {
        return cloud.stack().physicalId(queue);
    }

    /** The task's message on the work queue; any other message received meanwhile is made visible again. */
    Message workMessage(String id) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> messages = cloud.backend().sqs().receiveMessage(receive -> receive
                    .queueUrl(queueUrl("WorkQueue")).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(60)
                    .messageSystemAttributeNamesWithStrings("All")).messages();
            Message found = null;
            for (Message message : messages) {
                if (found == null && id.equals(String.valueOf(Json.parseObject(message.body()).get("id")))) {
                    found = message;
                } else {
                    cloud.backend().sqs().changeMessageVisibility(change -> change.queueUrl(queueUrl("WorkQueue"))
                            .receiptHandle(message.receiptHandle()).visibilityTimeout(0));
                }
            }
            if (found != null) {
                return found;
            }
        }
        return fail("no work message for task " + id + " within " + WAIT);
    }
}
