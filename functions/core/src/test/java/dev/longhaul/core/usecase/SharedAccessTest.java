package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertInvalid;
import static dev.longhaul.core.usecase.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longhaul.core.testing.InMemorySecretKeys;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.Flows;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code access}: read for the subjects granted, 403 for their changes, 404 for anyone else. */
class SharedAccessTest {
    private final Flows flows = new Flows(JobRegistry.builtIn(true));
    private final GetTask get = new GetTask(flows.store, flows.clock);
    private final ChangeAccess change = new ChangeAccess(get, flows.store, flows.clock);
    private final CancelTask cancel = new CancelTask(get, flows.store, flows.clock, Flows.RETENTION);
    private final DeleteTask delete = new DeleteTask(flows.store, flows.results);
    private final GetResult result = new GetResult(get, flows.results, flows.jobs, flows.clock,
            java.time.Duration.ofMinutes(5));
    private final ListTasks list = new ListTasks(flows.store, new PageTokens(new InMemorySecretKeys()), flows.clock);

    private Task shared() {
        return flows.create("alice", Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0),
                "access", List.of("bob")));
    }

    @Test
    void aGrantedSubjectReadsTheTaskAndItsResult() {
        Task task = shared();
        flows.runQueued();
        assertEquals(TaskStatus.SUCCEEDED, get.execute("bob", task.id()).status());
        result.execute("bob", task.id());
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> get.execute("carol", task.id()));
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> result.execute("carol", task.id()));
    }

    @Test
    void aGrantedSubjectCannotChangeItButOthersCannotEvenSeeIt() {
        Task task = shared();
        assertProblem(Problem.Kind.FORBIDDEN, "forbidden", () -> cancel.execute("bob", task.id()));
        assertProblem(Problem.Kind.FORBIDDEN, "forbidden", () -> delete.execute("bob", task.id()));
        assertProblem(Problem.Kind.FORBIDDEN, "forbidden", () -> change.execute("bob", task.id(), Map.of("access", List.of())));
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> cancel.execute("carol", task.id()));
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> delete.execute("carol", task.id()));
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found",
                () -> change.execute("carol", task.id(), Map.of("access", List.of())));
        assertEquals(TaskStatus.QUEUED, flows.get(task.id()).status());
    }

    @Test
    void sharedWithMeListsWhatOthersShareAndAPlainListOnlyTheCallersOwn() {
        Task task = shared();
        Task bobsOwn = flows.create("bob", Map.of("type", "demo.fail"));
        assertEquals(List.of(task.id()), list.execute("bob", Map.of("sharedWithMe", "true")).tasks().stream()
                .map(Task::id).toList());
        assertEquals(List.of(bobsOwn.id()), list.execute("bob", Map.of()).tasks().stream().map(Task::id).toList());
        assertEquals(List.of(), list.execute("carol", Map.of("sharedWithMe", "true")).tasks());
        assertEquals(List.of("queue"), assertInvalid(() -> list.execute("bob", Map.of("sharedWithMe", "true", "queue", "q"))));
        assertEquals(List.of("sharedWithMe"), assertInvalid(() -> list.execute("bob", Map.of("sharedWithMe", "yes"))));
    }

    @Test
    void theOwnerChangesTheGrantsFinishedOrNot() {
        Task task = shared();
        flows.runQueued();
        Task changed = change.execute("alice", task.id(), Map.of("access", List.of("carol")));
        assertEquals(List.of("carol"), changed.options().access());
        assertEquals(TaskStatus.SUCCEEDED, changed.status());
        assertEquals(List.of(task.id()), list.execute("carol", Map.of("sharedWithMe", "true")).tasks().stream()
                .map(Task::id).toList());
        assertEquals(List.of(), list.execute("bob", Map.of("sharedWithMe", "true")).tasks());
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> get.execute("bob", task.id()));
        assertEquals(List.of("access[0]"), assertInvalid(() -> change.execute("alice", task.id(),
                Map.of("access", List.of("alice")))));
        assertEquals(List.of("name"), assertInvalid(() -> change.execute("alice", task.id(),
                Map.of("access", List.of(), "name", "x"))));
        assertEquals(List.of("access"), assertInvalid(() -> change.execute("alice", task.id(), Map.of())));
    }

    @Test
    void aRemovedTasksGrantsGo() {
        Task task = shared();
        delete.execute("alice", task.id());
        flows.settle();
        assertEquals(java.util.Set.of(), flows.store.grantsOf("bob"));
    }
}
