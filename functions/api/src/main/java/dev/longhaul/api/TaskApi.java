package dev.longhaul.api;

import dev.longhaul.aws.ServiceFailures;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.log.Metrics;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.usecase.CancelTask;
import dev.longhaul.core.usecase.ChangeAccess;
import dev.longhaul.core.usecase.CreateTask;
import dev.longhaul.core.usecase.DeleteTask;
import dev.longhaul.core.usecase.DescribeTasks;
import dev.longhaul.core.usecase.GetResult;
import dev.longhaul.core.usecase.GetTask;
import dev.longhaul.core.usecase.ListTasks;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;
import dev.longhaul.core.usecase.RetryAfter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Routes HTTP requests to the task use cases and renders their outcomes. */
public final class TaskApi {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Metrics METRICS = Metrics.stdout("api");
    static final String TASKS = "/v1/tasks";

    private final CreateTask createTask;
    private final GetTask getTask;
    private final GetResult getResult;
    private final ListTasks listTasks;
    private final CancelTask cancelTask;
    private final DeleteTask deleteTask;
    private final Clock clock;
    private final JsonLog log;
    private final WebhookRoutes webhooks;
    private final TaskTypeRoutes taskTypes;
    private final ChangeAccess changeAccess;
    private final DescribeTasks describe;
    private final ScheduleRoutes schedules;

    public TaskApi(CreateTask createTask, GetTask getTask, GetResult getResult, ListTasks listTasks,
                   CancelTask cancelTask, DeleteTask deleteTask, Clock clock, JsonLog log) {
        this(createTask, getTask, getResult, listTasks, cancelTask, deleteTask, clock, log, null);
    }

    /** @param webhooks the {@code /v1/webhooks} routes; null when webhooks are not deployed */
    public TaskApi(CreateTask createTask, GetTask getTask, GetResult getResult, ListTasks listTasks,
                   CancelTask cancelTask, DeleteTask deleteTask, Clock clock, JsonLog log, WebhookRoutes webhooks) {
        this(createTask, getTask, getResult, listTasks, cancelTask, deleteTask, clock, log, webhooks, null);
    }

    /** @param taskTypes the {@code /v1/task-types} route; null leaves it out */
    public TaskApi(CreateTask createTask, GetTask getTask, GetResult getResult, ListTasks listTasks,
                   CancelTask cancelTask, DeleteTask deleteTask, Clock clock, JsonLog log, WebhookRoutes webhooks,
                   TaskTypeRoutes taskTypes) {
        this(createTask, getTask, getResult, listTasks, cancelTask, deleteTask, clock, log, webhooks, taskTypes,
                null, null, null);
    }

    /**
     * @param changeAccess {@code PATCH /v1/tasks/{id}}; null leaves it out
     * @param describe     what representations show from the store's indexes (queue positions,
     *                     children); null shows the records alone
     * @param schedules    the {@code /v1/schedules} routes; null leaves them out
     */
    public TaskApi(CreateTask createTask, GetTask getTask, GetResult getResult, ListTasks listTasks,
                   CancelTask cancelTask, DeleteTask deleteTask, Clock clock, JsonLog log, WebhookRoutes webhooks,
                   TaskTypeRoutes taskTypes, ChangeAccess changeAccess, DescribeTasks describe,
                   ScheduleRoutes schedules) {
        this.changeAccess = changeAccess;
        this.describe = describe;
        this.schedules = schedules;
        this.createTask = createTask;
        this.getTask = getTask;
        this.getResult = getResult;
        this.listTasks = listTasks;
        this.cancelTask = cancelTask;
        this.deleteTask = deleteTask;
        this.clock = clock;
        this.log = log;
        this.webhooks = webhooks;
        this.taskTypes = taskTypes;
    }

    /** Longest {@code Prefer: wait} honoured, in seconds. */
    public static final int MAX_WAIT_SECONDS = (int) GetTask.MAX_WAIT.toSeconds();

    public HttpResponse handle(HttpRequest request) {
        try {
            if (request.owner() == null) {
                throw Problems.unauthorized().exception();
            }
            return route(request);
        } catch (ProblemException e) {
            return Problems.render(e.problem(), request.path());
        } catch (RuntimeException e) {
            if (!ServiceFailures.isTransient(e)) {
                log.error("request failed", e, "requestId", request.requestId(), "path", request.path());
                return Problems.render(Problems.internal(), request.path());
            }
            // throttled or down after the SDK's retries: the caller may simply retry
            log.warn("a service is unavailable", "requestId", request.requestId(), "path", request.path(),
                    "errorType", e.getClass().getName(), "error", e.getMessage());
            return Problems.render(Problems.serviceUnavailable(), request.path());
        }
    }

    private HttpResponse route(HttpRequest request) {
        String path = request.path();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = request.method();
        if (webhooks != null && path.startsWith(WebhookRoutes.PATH)) {
            return webhooks.route(request, path);
        }
        if (schedules != null && (path.equals(ScheduleRoutes.PATH) || path.startsWith(ScheduleRoutes.PATH + "/"))) {
            return schedules.route(request, path);
        }
        if (taskTypes != null && path.equals(TaskTypeRoutes.PATH)) {
            return taskTypes.route(request);
        }
        if (path.equals(TASKS)) {
            if (method.equals("POST")) {
                return create(request);
            }
            requireMethod(request, "GET");
            return list(request);
        }
        if (path.startsWith(TASKS + "/")) {
            String rest = path.substring(TASKS.length() + 1);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                if (method.equals("DELETE")) {
                    return delete(request, rest);
                }
                if (method.equals("PATCH") && changeAccess != null) {
                    return patch(request, rest);
                }
                requireMethod(request, "GET");
                return get(request, rest);
            }
            String id = rest.substring(0, slash);
            String action = rest.substring(slash);
            if (action.equals("/result")) {
                requireMethod(request, "GET");
                return result(request, id);
            }
            if (action.equals("/cancel")) {
                requireMethod(request, "POST");
                return cancel(request, id);
            }
        }
        throw Problems.routeNotFound().exception();
    }

    static void requireMethod(HttpRequest request, String method) {
        if (!method.equals(request.method())) {
            throw Problem.of(Problem.Kind.NOT_FOUND, "route-not-found", "Not found",
                    "No route for " + request.method() + " on this resource.").exception();
        }
    }

    private HttpResponse create(HttpRequest request) {
        Map<String, Object> json = RequestBodies.json(request, MAX_BODY_BYTES);
        CreateTask.Created created = createTask.execute(request.owner(), json, request.header("Idempotency-Key"));
        Task task = created.task();
        log.info(created.replayed() ? "task create replayed" : "task created", "requestId", request.requestId(),
                "taskId", task.id(), "type", task.type());
        if (!created.replayed()) {
            METRICS.count("TasksCreated", task.type());
        }
        String location = TaskRepresentation.selfPath(task.id());
        Map<String, Object> representation = show(task, request.owner());
        if (created.callback() != null) {
            // the callback's signing secret, like a webhook's, is only ever shown in this answer
            representation.put("callback", Map.of("url", created.callback().url(), "secret", created.callback().secret()));
        }
        HttpResponse response = HttpResponse.json(202, representation)
                .withHeader("Location", location)
                .withHeader("Content-Location", location)
                .withHeader("ETag", etag(task))
                .withHeader("Retry-After", String.valueOf(RetryAfter.seconds(task, clock.instant())));
        return created.replayed() ? response.withHeader("Idempotent-Replayed", "true") : response;
    }

    private HttpResponse get(HttpRequest request, String id) {
        Task task = getTask.execute(request.owner(), id);
        Integer wait = preferredWait(request.header("Prefer"));
        String ifNoneMatch = request.header("If-None-Match");
        // a client whose copy is already stale has a change to see: no reason to wait
        boolean stale = ifNoneMatch != null && !matches(ifNoneMatch, etag(task));
        boolean honoured = wait != null;
        if (wait != null && !stale) {
            try {
                GetTask.Await await = getTask.awaitChange(request.owner(), id, task, Duration.ofSeconds(wait));
                task = await.task();
                honoured = await.honoured();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!honoured) {
                log.info("wait not honoured: too many concurrent waits", "requestId", request.requestId(), "taskId", id);
            }
        }
        HttpResponse response = representation(task, redirectRefused(request), request.owner());
        if (honoured) {
            response = response.withHeader("Preference-Applied", "wait=" + wait);
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, etag(task))) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("ETag", etag(task));
            headers.put("Cache-Control", "no-store");
            copy(response, headers, "Retry-After", "Location", "Preference-Applied");
            return new HttpResponse(304, headers, "");
        }
        return response;
    }

    /**
     * {@code ?redirect=false}: the answer a redirect would carry, as a 200 instead. A browser's fetch can
     * read neither a 303's body nor a 302's Location (and following the 302 to S3 is a cross-origin
     * request), so the console asks for the task and the result link this way.
     */
    private static boolean redirectRefused(HttpRequest request) {
        return "false".equals(request.query().get("redirect"));
    }

    private HttpResponse representation(Task task, boolean redirectRefused, String caller) {
        boolean redirect = task.status() == TaskStatus.SUCCEEDED && !redirectRefused;
        HttpResponse response = HttpResponse.json(redirect ? 303 : 200,
                show(task, caller)).withHeader("ETag", etag(task));
        if (redirect) {
            response = response.withHeader("Location", TaskRepresentation.resultPath(task.id()));
        } else if (task.status().isActive()) {
            response = response.withHeader("Retry-After", String.valueOf(RetryAfter.seconds(task, clock.instant())));
        }
        return response;
    }

    private HttpResponse list(HttpRequest request) {
        ListTasks.Listing listing = listTasks.execute(request.owner(), request.query());
        List<Object> tasks = new ArrayList<>(listing.tasks().size());
        if (describe == null) {
            for (Task task : listing.tasks()) {
                tasks.add(TaskRepresentation.of(task));
            }
        } else {
            for (DescribeTasks.TaskView view : describe.describe(listing.tasks())) {
                tasks.add(TaskRepresentation.of(view, request.owner()));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tasks", tasks);
        body.put("nextPageToken", listing.nextPageToken());
        return HttpResponse.json(200, body);
    }

    private HttpResponse cancel(HttpRequest request, String id) {
        Task task = cancelTask.execute(request.owner(), id);
        log.info("task cancel requested", "requestId", request.requestId(), "taskId", id,
                "status", task.status().wire());
        // 202 while the running job still has to stop; 200 once the task is cancelled
        return HttpResponse.json(task.status() == TaskStatus.CANCELLED ? 200 : 202, show(task, request.owner()))
                .withHeader("ETag", etag(task))
                .withHeader("Location", TaskRepresentation.selfPath(id));
    }

    /** {@code PATCH /v1/tasks/{id}} with {@code {"access": [...]}}: the owner changes who may read the task. */
    private HttpResponse patch(HttpRequest request, String id) {
        Task task = changeAccess.execute(request.owner(), id, RequestBodies.json(request, MAX_BODY_BYTES));
        log.info("task access changed", "requestId", request.requestId(), "taskId", id,
                "grants", task.options().access().size());
        return HttpResponse.json(200, show(task, request.owner())).withHeader("ETag", etag(task));
    }

    /** The task as {@code caller} sees it, with its queue position and children when they apply. */
    private Map<String, Object> show(Task task, String caller) {
        return describe == null ? TaskRepresentation.of(task)
                : TaskRepresentation.of(describe.describe(task), caller);
    }

    private HttpResponse delete(HttpRequest request, String id) {
        deleteTask.execute(request.owner(), id);
        log.info("task deleted", "requestId", request.requestId(), "taskId", id);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(204, headers, "");
    }

    /** Changes with every state change and with every webhook attempt recorded on the task. */
    static String etag(Task task) {
        int notifications = task.notifications().size();
        return notifications == 0 ? "\"" + task.revision() + "\""
                : "\"" + task.revision() + "." + notifications + "\"";
    }

    /** True when an {@code If-None-Match} list names {@code etag} (weakly compared, RFC 9110) or is {@code *}. */
    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag) || c.equals("*")) {
                return true;
            }
        }
        return false;
    }

    /** The {@code wait} preference of RFC 7240, capped; null when absent or malformed. */
    static Integer preferredWait(String prefer) {
        if (prefer == null || prefer.length() > 200) {
            return null;
        }
        for (String preference : prefer.split("[,;]")) {
            String p = preference.trim().toLowerCase(java.util.Locale.ROOT);
            if (p.startsWith("wait=")) {
                String value = p.substring(5).trim();
                if (!value.isEmpty() && value.length() <= 6 && value.chars().allMatch(Character::isDigit)) {
                    return Math.min(MAX_WAIT_SECONDS, Integer.parseInt(value));
                }
            }
        }
        return null;
    }

    private static void copy(HttpResponse from, Map<String, String> to, String... names) {
        for (String name : names) {
            String value = from.headers().get(name);
            if (value != null) {
                to.put(name, value);
            }
        }
    }

    private HttpResponse result(HttpRequest request, String id) {
        GetResult.Download download = getResult.execute(request.owner(), id);
        log.info("result link issued", "requestId", request.requestId(), "taskId", id,
                "ttlSeconds", download.ttl().getSeconds());
        if (redirectRefused(request)) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("url", download.url().toString());
            link.put("expiresAt", download.expiresAt().toString());
            return HttpResponse.json(200, link);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", download.url().toString());
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(302, headers, "");
    }
}
