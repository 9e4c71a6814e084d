package dev.longhaul.api;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.usecase.CreateTask;
import dev.longhaul.core.usecase.GetResult;
import dev.longhaul.core.usecase.GetTask;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;
import dev.longhaul.core.usecase.RetryAfter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** Routes HTTP requests to the task use cases and renders their outcomes. */
public final class TaskApi {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String TASKS = "/v1/tasks";

    private final CreateTask createTask;
    private final GetTask getTask;
    private final GetResult getResult;
    private final Clock clock;
    private final JsonLog log;

    public TaskApi(CreateTask createTask, GetTask getTask, GetResult getResult, Clock clock, JsonLog log) {
        this.createTask = createTask;
        this.getTask = getTask;
        this.getResult = getResult;
        this.clock = clock;
        this.log = log;
    }

    public HttpResponse handle(HttpRequest request) {
        try {
            if (request.owner() == null) {
                throw Problems.unauthorized().exception();
            }
            return route(request);
        } catch (ProblemException e) {
            return Problems.render(e.problem(), request.path());
        } catch (RuntimeException e) {
            log.error("request failed", e, "requestId", request.requestId(), "path", request.path());
            return Problems.render(Problems.internal(), request.path());
        }
    }

    private HttpResponse route(HttpRequest request) {
        String path = request.path();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals(TASKS)) {
            requireMethod(request, "POST");
            return create(request);
        }
        if (path.startsWith(TASKS + "/")) {
            String rest = path.substring(TASKS.length() + 1);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                requireMethod(request, "GET");
                return get(request, rest);
            }
            if (rest.substring(slash).equals("/result")) {
                requireMethod(request, "GET");
                return result(request, rest.substring(0, slash));
            }
        }
        throw Problems.routeNotFound().exception();
    }

    private static void requireMethod(HttpRequest request, String method) {
        if (!method.equals(request.method())) {
            throw Problem.of(Problem.Kind.NOT_FOUND, "route-not-found", "Not found",
                    "No route for " + request.method() + " on this resource.").exception();
        }
    }

    private HttpResponse create(HttpRequest request) {
        byte[] body = request.body();
        if (body == null) {
            throw invalidBody("The body is not valid base64.");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw Problem.of(Problem.Kind.TOO_LARGE, "body-too-large", "Request body too large",
                    "The body must be at most " + MAX_BODY_BYTES + " bytes.")
                    .with("maxBytes", MAX_BODY_BYTES).exception();
        }
        Map<String, Object> json;
        try {
            json = Json.parseObject(utf8(body));
        } catch (JsonException e) {
            throw invalidBody("The body must be a JSON object: " + e.getMessage() + ".");
        }
        Task task = createTask.execute(request.owner(), json);
        log.info("task created", "requestId", request.requestId(), "taskId", task.id(), "type", task.type());
        String location = TaskRepresentation.selfPath(task.id());
        return HttpResponse.json(202, TaskRepresentation.of(task))
                .withHeader("Location", location)
                .withHeader("Content-Location", location)
                .withHeader("Retry-After", String.valueOf(RetryAfter.seconds(task, clock.instant())));
    }

    private HttpResponse get(HttpRequest request, String id) {
        Task task = getTask.execute(request.owner(), id);
        HttpResponse response = HttpResponse.json(task.status() == TaskStatus.SUCCEEDED ? 303 : 200,
                TaskRepresentation.of(task));
        if (task.status() == TaskStatus.SUCCEEDED) {
            response = response.withHeader("Location", TaskRepresentation.resultPath(task.id()));
        } else if (task.status().isActive()) {
            response = response.withHeader("Retry-After", String.valueOf(RetryAfter.seconds(task, clock.instant())));
        }
        return response;
    }

    private HttpResponse result(HttpRequest request, String id) {
        GetResult.Download download = getResult.execute(request.owner(), id);
        log.info("result link issued", "requestId", request.requestId(), "taskId", id,
                "ttlSeconds", download.ttl().getSeconds());
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Location", download.url().toString());
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(302, headers, "");
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw invalidBody("The body must be UTF-8 encoded JSON.");
        }
    }

    private static ProblemException invalidBody(String detail) {
        return Problem.of(Problem.Kind.INVALID, "invalid-body", "Invalid request body", detail)
                .with("errors", java.util.List.of(Map.of("field", "body", "message", detail))).exception();
    }
}
