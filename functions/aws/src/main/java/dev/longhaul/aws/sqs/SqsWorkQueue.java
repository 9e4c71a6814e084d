package dev.longhaul.aws.sqs;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends each task as its full internal JSON snapshot, so the worker can claim it with one
 * conditional write instead of reading it first. Decode with
 * {@code TaskCodec.fromJson(Json.parseObject(body))}.
 */
public final class SqsWorkQueue implements WorkQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsWorkQueue(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public void enqueue(Task task) {
        sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(Json.write(TaskCodec.toJson(task))));
    }
}
