package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.port.SecretKeys;
import dev.longhaul.core.testing.InMemorySecretKeys;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListTasksTest {
    private static final SecretKeys KEYS = new InMemorySecretKeys();

    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final InMemoryTaskStore store = new InMemoryTaskStore(clock);
    private final SequenceIds ids = new SequenceIds();
    private final PageTokens tokens = new PageTokens(KEYS);
    private final ListTasks listTasks = new ListTasks(store, tokens, clock);

    /** A queued task created now; the clock then moves a second, so each task is newer than the last. */
    private Task created(String owner, String type) {
        Task task = Task.create(ids.newId(), owner, type, null, Map.of(), clock.instant());
        store.create(task);
        clock.advance(Duration.ofSeconds(1));
        return task;
    }

    private List<Task> created(int n) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(created("alice", "demo.sleep"));
        }
        return tasks;
    }

    private Task running(Task task) {
        Task running = task.start("token", clock.instant(), clock.instant().plusSeconds(60));
        assertTrue(store.replace(running));
        return running;
    }

    private Task succeeded(Task task, Duration retention) {
        Task done = running(task).succeed(new TaskResult("application/json", 2), clock.instant(), retention);
        assertTrue(store.replace(done));
        return done;
    }

    private ListTasks.Listing list(String owner, String... query) {
        return listTasks.execute(owner, query(query));
    }

    private static Map<String, String> query(String... pairs) {
        Map<String, String> query = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return query;
    }

    private static List<String> ids(List<Task> tasks) {
        return tasks.stream().map(Task::id).toList();
    }

    private static List<String> newestFirst(List<Task> tasks) {
        List<String> ids = new ArrayList<>(ids(tasks));
        java.util.Collections.reverse(ids);
        return ids;
    }

    @Test
    void listsTheOwnersTasksNewestFirst() {
        List<Task> tasks = created(3);
        created("bob", "demo.sleep");
        ListTasks.Listing listing = list("alice");
        assertEquals(newestFirst(tasks), ids(listing.tasks()));
        assertNull(listing.nextPageToken());
    }

    @Test
    void anotherOwnerSeesNothing() {
        created(3);
        ListTasks.Listing listing = list("mallory");
        assertEquals(List.of(), listing.tasks());
        assertNull(listing.nextPageToken());
    }

    @Test
    void thePageSizeDefaultsTo20() {
        created(25);
        ListTasks.Listing listing = list("alice");
        assertEquals(ListTasks.DEFAULT_PAGE_SIZE, listing.tasks().size());
        assertNotNull(listing.nextPageToken());
    }

    @Test
    void pageSizesFrom1To100AreAccepted() {
        List<Task> tasks = created(101);
        ListTasks.Listing one = list("alice", "pageSize", "1");
        assertEquals(List.of(tasks.get(100).id()), ids(one.tasks()));
        assertNotNull(one.nextPageToken());
        ListTasks.Listing hundred = list("alice", "pageSize", "100");
        assertEquals(100, hundred.tasks().size());
        assertNotNull(hundred.nextPageToken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "101", "1000000", "ten", "", "2.5", "99999999999"})
    void aPageSizeOutside1To100Is400(String pageSize) {
        assertEquals(List.of("pageSize"), assertInvalid(() -> list("alice", "pageSize", pageSize)));
    }

    @Test
    void anUnknownQueryParameterIs400NamingIt() {
        assertEquals(List.of("limit"), assertInvalid(() -> list("alice", "limit", "5")));
        assertEquals(List.of("Status"), assertInvalid(() -> list("alice", "Status", "queued")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"done", "QUEUED", "Queued", "", "queued,running", "cancelled "})
    void anUnknownStatusIs400(String status) {
        assertEquals(List.of("status"), assertInvalid(() -> list("alice", "status", status)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2025-03-01", "2025-03-01T10:00:00", "1740823200", "",
        "2025-13-01T10:00:00Z"})
    void aMalformedTimestampIs400(String timestamp) {
        assertEquals(List.of("createdAfter"), assertInvalid(() -> list("alice", "createdAfter", timestamp)));
        assertEquals(List.of("createdBefore"), assertInvalid(() -> list("alice", "createdBefore", timestamp)));
    }

    @Test
    void anEmptyOrOverlongTypeIs400() {
        assertEquals(List.of("type"), assertInvalid(() -> list("alice", "type", "")));
        assertEquals(List.of("type"), assertInvalid(() -> list("alice", "type", "x".repeat(101))));
    }

    @Test
    void everyInvalidParameterIsNamed() {
        List<String> fields = assertInvalid(() -> list("alice", "status", "done", "pageSize", "0"));
        assertEquals(Set.of("status", "pageSize"), new HashSet<>(fields));
    }

    @Test
    void filtersByStatus() {
        List<Task> tasks = created(4);
        Task run = running(tasks.get(1));
        Task done = succeeded(tasks.get(3), Duration.ofHours(1));
        assertEquals(List.of(run.id()), ids(list("alice", "status", "running").tasks()));
        assertEquals(List.of(done.id()), ids(list("alice", "status", "succeeded").tasks()));
        assertEquals(List.of(tasks.get(2).id(), tasks.get(0).id()), ids(list("alice", "status", "queued").tasks()));
        assertEquals(List.of(), list("alice", "status", "failed").tasks());
    }

    @Test
    void filtersByType() {
        Task report = created("alice", "report.stock");
        created("alice", "demo.sleep");
        Task second = created("alice", "report.stock");
        assertEquals(List.of(second.id(), report.id()), ids(list("alice", "type", "report.stock").tasks()));
        assertEquals(List.of(), list("alice", "type", "demo.nope").tasks());
    }

    @Test
    void filtersByCreationTimeWithExclusiveBounds() {
        List<Task> tasks = created(5);
        Instant second = tasks.get(1).createdAt();
        Instant fourth = tasks.get(3).createdAt();
        assertEquals(newestFirst(tasks.subList(2, 5)), ids(list("alice", "createdAfter", second.toString()).tasks()));
        assertEquals(newestFirst(tasks.subList(0, 3)), ids(list("alice", "createdBefore", fourth.toString()).tasks()));
        assertEquals(List.of(tasks.get(2).id()), ids(list("alice", "createdAfter", second.toString(),
                "createdBefore", fourth.toString()).tasks()));
        assertEquals(List.of(), list("alice", "createdAfter", fourth.toString(),
                "createdBefore", second.toString()).tasks());
    }

    @Test
    void filtersCombine() {
        created("alice", "report.stock");
        Task match = created("alice", "demo.sleep");
        running(created("alice", "demo.sleep"));
        assertEquals(List.of(match.id()), ids(list("alice", "status", "queued", "type", "demo.sleep").tasks()));
    }

    @Test
    void pageTokensWalkEveryTaskOnceWithNoGaps() {
        List<Task> tasks = created(7);
        created("bob", "demo.sleep");
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String token = null;
        do {
            ListTasks.Listing page = token == null ? list("alice", "pageSize", "3")
                    : list("alice", "pageSize", "3", "pageToken", token);
            seen.addAll(ids(page.tasks()));
            sizes.add(page.tasks().size());
            token = page.nextPageToken();
        } while (token != null);
        assertEquals(newestFirst(tasks), seen);
        assertEquals(List.of(3, 3, 1), sizes);
    }

    @Test
    void pageTokensKeepTheirFiltersAcrossPages() {
        List<Task> tasks = created(6);
        running(tasks.get(0));
        running(tasks.get(3));
        ListTasks.Listing first = list("alice", "status", "queued", "pageSize", "2");
        assertEquals(List.of(tasks.get(5).id(), tasks.get(4).id()), ids(first.tasks()));
        ListTasks.Listing second = list("alice", "status", "queued", "pageSize", "2",
                "pageToken", first.nextPageToken());
        assertEquals(List.of(tasks.get(2).id(), tasks.get(1).id()), ids(second.tasks()));
        assertNull(second.nextPageToken());
    }

    @Test
    void aPageWithExactlyPageSizeTasksHasNoNextToken() {
        created(4);
        assertNull(list("alice", "pageSize", "4").nextPageToken());
    }

    @Test
    void theNextPageTokenMayChangeItsPageSize() {
        List<Task> tasks = created(5);
        String token = list("alice", "pageSize", "2").nextPageToken();
        assertEquals(newestFirst(tasks.subList(0, 3)), ids(list("alice", "pageSize", "10", "pageToken", token).tasks()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "abc.def", "eyJpZCI6MX0.AAAAAAAAAAAAAAAAAAAAAA", "null", "%00"})
    void aForgedPageTokenIs400(String forged) {
        created(3);
        assertEquals(List.of("pageToken"), assertInvalid(() -> list("alice", "pageToken", forged)));
    }

    @Test
    void anAlteredPageTokenIs400() {
        created(3);
        String token = list("alice", "pageSize", "1").nextPageToken();
        String altered = (token.charAt(0) == 'M' ? "N" : "M") + token.substring(1);
        assertEquals(List.of("pageToken"), assertInvalid(() -> list("alice", "pageSize", "1", "pageToken", altered)));
    }

    @Test
    void anotherOwnersPageTokenIs400() {
        created(3);
        created("bob", "demo.sleep");
        created("bob", "demo.sleep");
        String bobs = list("bob", "pageSize", "1").nextPageToken();
        assertNotNull(bobs);
        assertEquals(List.of("pageToken"), assertInvalid(() -> list("alice", "pageSize", "1", "pageToken", bobs)));
    }

    @Test
    void aPageTokenOfAQueryWithOtherFiltersIs400() {
        created(3);
        String token = list("alice", "status", "queued", "pageSize", "1").nextPageToken();
        assertEquals(List.of("pageToken"), assertInvalid(() -> list("alice", "pageToken", token)));
        assertEquals(List.of("pageToken"), assertInvalid(() -> list("alice", "status", "running", "pageToken", token)));
        assertEquals(List.of("pageToken"), assertInvalid(() -> list("alice", "status", "queued",
                "type", "demo.sleep", "pageToken", token)));
        assertEquals(List.of("pageToken"), assertInvalid(() -> list("alice", "status", "queued",
                "createdAfter", "2025-01-01T00:00:00Z", "pageToken", token)));
    }

    @Test
    void aPageTokenSignedUnderAnotherDeploymentsKeyIs400() {
        created(3);
        String foreign = new PageTokens(new InMemorySecretKeys()).sign("alice", "|||", ids.newId());
        assertEquals(List.of("pageToken"), assertInvalid(() -> list("alice", "pageToken", foreign)));
    }

    @Test
    void expiredTasksAreNotListed() {
        List<Task> tasks = created(3);
        Task expired = succeeded(tasks.get(1), Duration.ofSeconds(30));
        assertEquals(3, list("alice").tasks().size());
        clock.advance(Duration.ofSeconds(31));
        List<String> listed = ids(list("alice").tasks());
        assertEquals(List.of(tasks.get(2).id(), tasks.get(0).id()), listed);
        assertTrue(!listed.contains(expired.id()));
    }

    @Test
    void listedTasksCarryTheirCurrentState() {
        Task task = created(1).get(0);
        Task run = running(task);
        assertEquals(TaskStatus.RUNNING, list("alice").tasks().get(0).status());
        assertEquals(run, list("alice").tasks().get(0));
    }
}
