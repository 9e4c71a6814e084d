package dev.longhaul.aws.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longhaul.aws.testing.SampleTasks;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Integration tier: against ElasticMQ with the template's queue. */
class SqsWorkQueueTest {
    private final TestCloud cloud = TestCloud.get();
    private final SqsWorkQueue queue = new SqsWorkQueue(cloud.clients().sqs(), cloud.queueUrl());

    @BeforeEach
    void reset() {
        cloud.reset();
    }

    @Test
    void messageDecodesBackToTheSameTask() {
        Task task = SampleTasks.queued(Instant.now());

        queue.enqueue(task);

        assertEquals(1, cloud.queueDepth());
        List<Message> messages = cloud.drain();
        assertEquals(1, messages.size());
        assertEquals(task, TaskCodec.fromJson(Json.parseObject(messages.get(0).body())));
        assertEquals(0, cloud.queueDepth());
    }
}
