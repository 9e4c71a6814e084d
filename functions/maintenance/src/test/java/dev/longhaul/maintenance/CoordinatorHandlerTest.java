package dev.longhaul.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.longhaul.aws.dynamodb.StreamRecords;
import dev.longhaul.aws.dynamodb.TaskItemMapper;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.InMemoryResultStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.InMemoryWorkQueue;
import dev.longhaul.core.testing.SampleEvents;
import dev.longhaul.core.usecase.CoordinateTasks;
import dev.longhaul.lambda.testing.LambdaRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator on the sample stream events of {@code events/} (recorded from the table's real
 * stream), through the Lambda runtime's serializer, over in-memory ports seeded with the records'
 * images: the table as it was when the records were written.
 */
class CoordinatorHandlerTest {
    private static final String DEPENDENCY_FINISHED = "dynamodb-dependency-finished.json";
    private InMemoryTaskStore store;
    private InMemoryWorkQueue queue;
    private CoordinatorHandler coordinator;

    @BeforeEach
    void setUp() {
        store = new InMemoryTaskStore();
        queue = new InMemoryWorkQueue();
        coordinator = new CoordinatorHandler(new CoordinateTasks(store, queue, Clock.systemUTC(), Duration.ofDays(7)),
                new ResultCleanupHandler(new InMemoryResultStore()));
    }

    @Test
    void aFinishedDependencyQueuesItsBlockedDependent() {
        List<Task> tasks = seed(DEPENDENCY_FINISHED);
        Task dependency = tasks.get(1);
        Task dependent = tasks.get(0);
        assertEquals(TaskStatus.BLOCKED, dependent.status(), "the sample's first record creates the dependent, blocked");
        assertEquals(TaskStatus.SUCCEEDED, dependency.status(), "the sample's second record is its dependency's success");

        assertEquals(List.of(), failures(invoke(DEPENDENCY_FINISHED)));

        assertEquals(TaskStatus.QUEUED, store.get(dependent.id()).status());
        assertEquals(List.of(dependent.id()), queue.enqueued().stream().map(Task::id).toList());
    }

    @Test
    void aDuplicatedBatchChangesNothingTheSecondTime() {
        List<Task> tasks = seed(DEPENDENCY_FINISHED);
        invoke(DEPENDENCY_FINISHED);
        Task admitted = store.get(tasks.get(0).id());

        assertEquals(List.of(), failures(invoke(DEPENDENCY_FINISHED)));

        assertEquals(admitted, store.get(admitted.id()), "the dependent is admitted once");
        assertEquals(1, queue.enqueued().size(), "and sent once");
    }

    @Test
    void aChangeNotCoordinatedIsReportedByItsSequenceNumberAndRetried() {
        seed(DEPENDENCY_FINISHED);
        store.failNext(1);

        List<String> failed = failures(invoke(DEPENDENCY_FINISHED));

        assertEquals(List.of(sequenceNumber(DEPENDENCY_FINISHED, 1)), failed,
                "the INSERT needs nothing; the finish is reported, for Lambda to retry the batch from it");
        assertTrue(queue.enqueued().isEmpty());
        assertEquals(List.of(), failures(invoke(DEPENDENCY_FINISHED)), "the retry coordinates it");
        assertEquals(1, queue.enqueued().size());
    }

    /** The tasks of the event's new images, oldest first, put in the store as the records left them. */
    private List<Task> seed(String file) {
        List<Task> tasks = LambdaRuntime.event(SampleEvents.text(file), DynamodbEvent.class).getRecords().stream()
                .map(record -> TaskItemMapper.fromItem(StreamRecords.item(record.getDynamodb().getNewImage())))
                .toList();
        tasks.forEach(store::put);
        return tasks;
    }

    private Map<String, Object> invoke(String file) {
        return LambdaRuntime.invoke(SampleEvents.load(file), DynamodbEvent.class, e -> coordinator.handle(e, null));
    }

    private static String sequenceNumber(String file, int index) {
        return LambdaRuntime.event(SampleEvents.text(file), DynamodbEvent.class).getRecords().get(index)
                .getDynamodb().getSequenceNumber();
    }

    @SuppressWarnings("unchecked")
    private static List<String> failures(Map<String, Object> response) {
        return ((List<Map<String, Object>>) response.get("batchItemFailures")).stream()
                .map(f -> (String) f.get("itemIdentifier")).toList();
    }
}
