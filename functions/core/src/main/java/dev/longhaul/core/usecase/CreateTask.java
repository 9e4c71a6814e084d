package dev.longhaul.core.usecase;

import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.job.InvalidParametersException;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.port.ActiveTaskLimitException;
import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.IdSource;
import dev.longhaul.core.port.IdempotencyKeyTakenException;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.port.RelativeChangedException;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskOptions;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.webhook.Subscription;
import dev.longhaul.core.webhook.TaskCallbacks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a create request completely, then stores the task (taking an active slot of its
 * owner, its idempotency key, its turn in its named queue, its place among its parent's children
 * and its dependencies' dependents in the same atomic write) and, when it is queued and its turn
 * has come, enqueues it. Nothing is stored for a rejected request; if the enqueue fails after the
 * write, the write is undone and the client is told to retry (503), so no task is left queued with
 * no message to run it.
 */
public final class CreateTask {
    public static final int MAX_DESCRIPTION_LENGTH = 1024;
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_OBJECT_BYTES = 4096;
    public static final int MAX_DEPENDENCIES = 20;
    public static final int MAX_ACCESS = 20;
    /** OpenID Connect: a {@code sub} is at most 255 ASCII characters. */
    public static final int MAX_SUBJECT_LENGTH = 255;
    /** Children one task may have (spawned by its job or created with {@code parent}). */
    public static final int MAX_CHILDREN = 100;
    public static final Duration MAX_NOT_BEFORE = Duration.ofDays(366);
    public static final Pattern QUEUE_NAME = Pattern.compile("^[a-z0-9][a-z0-9._/-]{0,63}$");
    private static final Set<String> FIELDS = Set.of("type", "parameters", "description", TaskCallbacks.FIELD,
            "name", "object", "queue", "parent", "dependsOn", "notBefore", "access");
    /** What a recurring schedule's task may say: no relatives, no start time, no callback. */
    public static final Set<String> TEMPLATE_FIELDS = Set.of("type", "parameters", "description", "name", "object",
            "queue", "access");
    private static final int RELATIVE_ATTEMPTS = 3;

    private final TaskStore store;
    private final WorkQueue queue;
    private final JobRegistry jobs;
    private final IdSource ids;
    private final Clock clock;
    private final int maxActivePerOwner;
    private final TaskCallbacks callbacks;
    private final Duration retention;

    public CreateTask(TaskStore store, WorkQueue queue, JobRegistry jobs, IdSource ids, Clock clock,
                      int maxActivePerOwner) {
        this(store, queue, jobs, ids, clock, maxActivePerOwner, null);
    }

    /** @param callbacks where {@code callbackUrl}s go; null refuses the field */
    public CreateTask(TaskStore store, WorkQueue queue, JobRegistry jobs, IdSource ids, Clock clock,
                      int maxActivePerOwner, TaskCallbacks callbacks) {
        this(store, queue, jobs, ids, clock, maxActivePerOwner, callbacks, Duration.ofHours(1));
    }

    /** @param retention how long a task failed at create (a dependency had failed) is kept */
    public CreateTask(TaskStore store, WorkQueue queue, JobRegistry jobs, IdSource ids, Clock clock,
                      int maxActivePerOwner, TaskCallbacks callbacks, Duration retention) {
        this.store = store;
        this.queue = queue;
        this.jobs = jobs;
        this.ids = ids;
        this.clock = clock;
        this.maxActivePerOwner = maxActivePerOwner;
        this.callbacks = callbacks;
        this.retention = retention;
    }

    /** Idempotency keys are remembered this long (IETF httpapi idempotency-key draft: 24 h). */
    public static final Duration KEY_RETENTION = Duration.ofHours(24);
    public static final int MAX_KEY_LENGTH = 255;

    /**
     * The created task, or the one an earlier request with the same idempotency key created.
     *
     * @param callback the task's one-off webhook (its secret included), or null
     */
    public record Created(Task task, boolean replayed, Subscription callback) {
        public Created(Task task, boolean replayed) {
            this(task, replayed, null);
        }
    }

    /** A request that passed validation: what to store, before its relatives are read. */
    private record Request(Job job, String description, Map<String, Object> parameters, TaskOptions options,
                           String callbackUrl) {
    }

    /** Creates a task without an idempotency key. */
    public Task execute(String owner, Map<String, Object> body) {
        return execute(owner, body, null).task();
    }

    /**
     * Creates a task. With an idempotency key, the same key and body within 24 hours returns the
     * original task; the same key with another body is refused (422), and so is a key a
     * concurrent request is using (409).
     */
    public Created execute(String owner, Map<String, Object> body, String idempotencyKey) {
        Request request = validate(owner, body, FIELDS, "");
        if (request.callbackUrl() != null) {
            callbacks.check(request.callbackUrl());
        }
        IdempotencyRecord key = null;
        String taskId = ids.newId();
        if (idempotencyKey != null) {
            if (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY_LENGTH
                    || !idempotencyKey.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
                throw Problem.of(Problem.Kind.INVALID, "invalid-idempotency-key", "Invalid Idempotency-Key",
                        "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters.")
                        .with("errors", List.of(new FieldError("Idempotency-Key", "is malformed").toJson()))
                        .exception();
            }
            String hash = RequestFingerprint.of(body);
            Optional<IdempotencyRecord> existing = store.findIdempotencyKey(owner, idempotencyKey);
            if (existing.isPresent()) {
                return replay(owner, existing.get(), hash);
            }
            key = new IdempotencyRecord(owner, idempotencyKey, hash, taskId, clock.instant().plus(KEY_RETENTION));
        }
        return store(owner, taskId, request, key, maxActivePerOwner);
    }

    /**
     * Creates the task of one tick of a recurring schedule, once: the tick's own idempotency key
     * (which no client can send: it holds spaces) makes a retried or duplicated tick find the
     * task the first one created.
     *
     * @throws ProblemException as {@link #execute} (over the owner's limit, the template no longer valid...)
     */
    public Created tick(String owner, String scheduleId, Map<String, Object> template, Instant tick) {
        Request request = validate(owner, template, TEMPLATE_FIELDS, "task.");
        String keyText = "schedule " + scheduleId + " " + tick;
        Optional<IdempotencyRecord> existing = store.findIdempotencyKey(owner, keyText);
        String hash = "schedule";
        if (existing.isPresent()) {
            return replay(owner, existing.get(), hash);
        }
        String taskId = ids.newId();
        IdempotencyRecord key = new IdempotencyRecord(owner, keyText, hash, taskId, clock.instant().plus(KEY_RETENTION));
        Request scheduled = new Request(request.job(), request.description(), request.parameters(),
                request.options().withSchedule(scheduleId), null);
        return store(owner, taskId, scheduled, key, maxActivePerOwner);
    }

    /**
     * Creates the {@code index}-th child a parent's job spawns, once: its idempotency key (which no
     * client can send) makes the job's next run, which spawns again, find the same child. The child
     * takes a slot over the owner's limit, as part of its parent's work.
     *
     * @return the child, as stored now or earlier
     * @throws InvalidParametersException when the type or parameters are not valid
     * @throws RelativeChangedException   when the parent finished or has its most children
     */
    public Task spawn(Task parent, int index, String type, Map<String, Object> parameters) {
        Job job = jobs.find(type).orElseThrow(() -> new InvalidParametersException(
                List.of(new FieldError("type", "is not a known task type"))));
        Map<String, Object> validated = job.parameters().validate(parameters == null ? Map.of() : parameters);
        String keyText = "spawn " + parent.id() + " " + index;
        Optional<Task> earlier = spawned(parent.owner(), keyText);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Instant now = clock.instant();
        Task child = Task.create(ids.newId(), parent.owner(), job.type(), null, validated,
                TaskOptions.NONE.withParent(parent.id(), index), List.of(), now);
        IdempotencyRecord key = new IdempotencyRecord(parent.owner(), keyText, "spawn", child.id(),
                now.plus(KEY_RETENTION));
        Admission admission = new Admission(0, key);
        Task stored;
        try {
            stored = store.create(child, admission);
        } catch (IdempotencyKeyTakenException e) {
            return spawned(parent.owner(), keyText).orElseThrow(() -> e);
        } catch (RelativeChangedException e) {
            throw e;
        } catch (RuntimeException unknownOutcome) {
            // a write that timed out may still have landed: take it back (the undo only removes what
            // exists), so the job's next run, which spawns again, does not find a child with no message
            undoQuietly(child, admission);
            throw unknownOutcome;
        }
        dispatch(stored, admission, null);
        return stored;
    }

    private void undoQuietly(Task task, Admission admission) {
        try {
            store.undoCreate(task, admission);
        } catch (RuntimeException ignored) {
            // the sweeper re-enqueues a queued task whose message never came
        }
    }

    private Optional<Task> spawned(String owner, String keyText) {
        return store.findIdempotencyKey(owner, keyText).flatMap(k -> store.find(k.taskId()));
    }

    private Created store(String owner, String taskId, Request request, IdempotencyRecord key, int limit) {
        for (int attempt = 0; attempt < RELATIVE_ATTEMPTS; attempt++) {
            Task task = withRelatives(owner, taskId, request);
            Admission admission = new Admission(task.flow().admitted() ? limit : 0, key);
            Task stored;
            try {
                stored = store.create(task, admission);
            } catch (RelativeChangedException e) {
                continue; // a parent or dependency finished meanwhile: read them again
            } catch (ActiveTaskLimitException e) {
                throw Problem.of(Problem.Kind.LIMIT_EXCEEDED, "concurrency-limit-exceeded", "Too many active tasks",
                                "The owner already has " + e.active() + " queued or running tasks, the limit is "
                                        + e.limit() + ". Retry when one finishes.")
                        .with("limit", e.limit()).with("active", e.active()).with("retryAfter", 5).exception();
            } catch (IdempotencyKeyTakenException e) {
                throw Problem.of(Problem.Kind.CONFLICT, "idempotency-key-in-use", "Idempotency-Key in use",
                        "A concurrent request with the same Idempotency-Key is being processed.")
                        .with("retryAfter", 1).exception();
            } catch (RuntimeException unknownOutcome) {
                // a write that timed out may still have landed: take it back (the undo only removes
                // what exists), so the caller's retry, told 503, does not leave a queued task with no message
                undoQuietly(task, admission);
                throw unknownOutcome;
            }
            // the callback is stored before the enqueue: once queued, the task can finish at any time
            Subscription callback = null;
            if (request.callbackUrl() != null) {
                try {
                    callback = callbacks.register(stored, request.callbackUrl());
                } catch (RuntimeException callbackFailure) {
                    store.undoCreate(stored, admission);
                    throw Problem.of(Problem.Kind.UNAVAILABLE, "callback-unavailable", "Service unavailable",
                            "The task's callback could not be stored and the task was not created. Retry the request.")
                            .exception();
                }
            }
            dispatch(stored, admission, callback);
            return new Created(stored, false, callback);
        }
        throw Problem.of(Problem.Kind.UNAVAILABLE, "task-busy", "Related tasks busy",
                "The task's parent or dependencies kept changing; retry the request.").with("retryAfter", 1).exception();
    }

    /** Enqueues a stored task whose turn it is; undoes the create when that fails. */
    private void dispatch(Task stored, Admission admission, Subscription callback) {
        if (stored.status() != TaskStatus.QUEUED || stored.isHeld()) {
            return; // blocked, scheduled, held or failed at create: nothing to run now
        }
        try {
            Instant notBefore = stored.options().notBefore();
            Duration delay = notBefore == null ? Duration.ZERO : Duration.between(clock.instant(), notBefore);
            if (delay.isNegative() || delay.isZero()) {
                queue.enqueue(stored);
            } else {
                queue.enqueue(stored, delay);
            }
        } catch (RuntimeException enqueueFailure) {
            try {
                store.undoCreate(stored, admission);
            } catch (RuntimeException undoFailure) {
                // the task stays stored, queued with no message: the sweeper enqueues a task queued too
                // long, so it will run. Telling the caller it was not created would be false.
                return;
            }
            if (callback != null) {
                try {
                    callbacks.remove(stored);
                } catch (RuntimeException ignored) {
                    // an orphan callback is harmless: its task never finishes, and it expires
                }
            }
            throw Problem.of(Problem.Kind.UNAVAILABLE, "queue-unavailable", "Service unavailable",
                    "The task could not be queued and was not created. Retry the request.").exception();
        }
    }

    private Created replay(String owner, IdempotencyRecord existing, String requestHash) {
        if (!existing.requestHash().equals(requestHash)) {
            throw Problem.of(Problem.Kind.UNPROCESSABLE, "idempotency-key-reused", "Idempotency-Key reused",
                    "This Idempotency-Key was used with a different request body.").exception();
        }
        Optional<Task> original = store.find(existing.taskId()).filter(t -> t.owner().equals(owner))
                .filter(t -> !t.isExpired(clock.instant()));
        if (original.isEmpty()) {
            throw Problem.of(Problem.Kind.CONFLICT, "idempotency-key-used", "Idempotency-Key used",
                    "The task created with this Idempotency-Key no longer exists; use a new key.").exception();
        }
        Subscription callback = callbacks == null ? null : callbacks.find(original.get()).orElse(null);
        return new Created(original.get(), true, callback);
    }

    /**
     * Checks a schedule's task template as a create would (field names prefixed {@code task.}),
     * without reading anything.
     */
    public void validateTemplate(String owner, Map<String, Object> template) {
        validate(owner, template, TEMPLATE_FIELDS, "task.");
    }

    /** Everything that can be checked without reading: every bad field is named at once. */
    @SuppressWarnings("unchecked")
    private Request validate(String owner, Map<String, Object> body, Set<String> fields, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!fields.contains(key)) {
                errors.add(new FieldError(prefix + key, "is not a known field"));
            }
        }
        Object type = body.get("type");
        Job job = null;
        if (type == null) {
            errors.add(new FieldError(prefix + "type", "is required"));
        } else if (!(type instanceof String)) {
            errors.add(new FieldError(prefix + "type", "must be a string"));
        } else {
            job = jobs.find((String) type).orElse(null);
            if (job == null) {
                errors.add(new FieldError(prefix + "type", "is not a known task type; known types: "
                        + String.join(", ", jobs.types())));
            }
        }
        String description = text(body, "description", MAX_DESCRIPTION_LENGTH, prefix, errors);
        Object rawParameters = body.get("parameters");
        Map<String, Object> parameters = null;
        if (rawParameters != null && !(rawParameters instanceof Map)) {
            errors.add(new FieldError(prefix + "parameters", "must be an object"));
        } else if (job != null) {
            try {
                parameters = job.parameters()
                        .validate(rawParameters == null ? Map.of() : (Map<String, Object>) rawParameters);
            } catch (InvalidParametersException e) {
                for (FieldError error : e.errors()) {
                    errors.add(new FieldError(prefix + error.field(), error.message()));
                }
            }
        }
        Object callbackUrl = body.get(TaskCallbacks.FIELD);
        if (callbackUrl != null && !(callbackUrl instanceof String)) {
            errors.add(new FieldError(TaskCallbacks.FIELD, "must be a string"));
        } else if (callbackUrl != null && callbacks == null) {
            errors.add(new FieldError(TaskCallbacks.FIELD, "is not supported by this deployment"));
        }
        String name = text(body, "name", MAX_NAME_LENGTH, prefix, errors);
        Map<String, Object> object = object(body.get("object"), prefix, errors);
        String queueName = null;
        Object rawQueue = body.get("queue");
        if (rawQueue != null && !(rawQueue instanceof String s && QUEUE_NAME.matcher(s).matches())) {
            errors.add(new FieldError(prefix + "queue", "must match " + QUEUE_NAME.pattern()));
        } else {
            queueName = (String) rawQueue;
        }
        String parent = null;
        Object rawParent = body.get("parent");
        if (rawParent != null && !(rawParent instanceof String p && TaskIds.isWellFormed(p))) {
            errors.add(new FieldError("parent", "must be a task id"));
        } else {
            parent = (String) rawParent;
        }
        if (parent != null && queueName != null) {
            errors.add(new FieldError("queue", "cannot be given with parent: children run outside named queues"));
        }
        List<String> dependsOn = ids(body.get("dependsOn"), "dependsOn", MAX_DEPENDENCIES, errors);
        Instant notBefore = notBefore(body.get("notBefore"), errors);
        List<String> access = subjects(owner, body.get("access"), prefix + "access", errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return new Request(job, description, parameters,
                new TaskOptions(name, object, queueName, parent, dependsOn, notBefore, access, null, null),
                (String) callbackUrl);
    }

    private static String text(Map<String, Object> body, String field, int max, String prefix, List<FieldError> errors) {
        Object value = body.get(field);
        if (value != null && !(value instanceof String)) {
            errors.add(new FieldError(prefix + field, "must be a string"));
            return null;
        }
        if (value != null && ((String) value).length() > max) {
            errors.add(new FieldError(prefix + field, "must be at most " + max + " characters"));
            return null;
        }
        return (String) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String prefix, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map)) {
            errors.add(new FieldError(prefix + "object", "must be a JSON object"));
            return null;
        }
        if (Json.write(value).getBytes(StandardCharsets.UTF_8).length > MAX_OBJECT_BYTES) {
            errors.add(new FieldError(prefix + "object", "must be at most " + MAX_OBJECT_BYTES + " bytes as JSON"));
            return null;
        }
        return (Map<String, Object>) value;
    }

    private static List<String> ids(Object value, String field, int max, List<FieldError> errors) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > max) {
            errors.add(new FieldError(field, "must be an array of at most " + max + " task ids"));
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof String id) || !TaskIds.isWellFormed(id)) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a task id"));
            } else if (!seen.add(id)) {
                errors.add(new FieldError(field + "[" + i + "]", "is listed twice"));
            }
        }
        return List.copyOf(seen);
    }

    private Instant notBefore(Object value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        Instant instant = null;
        if (value instanceof String text) {
            try {
                instant = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                instant = null;
            }
        }
        if (instant == null) {
            errors.add(new FieldError("notBefore", "must be an RFC 3339 time such as 2026-11-25T08:00:00Z"));
            return null;
        }
        if (instant.isAfter(clock.instant().plus(MAX_NOT_BEFORE))) {
            errors.add(new FieldError("notBefore", "must be at most " + MAX_NOT_BEFORE.toDays() + " days ahead"));
            return null;
        }
        return instant;
    }

    /** An {@code access} list: distinct subjects, none the owner. */
    public static List<String> subjects(String owner, Object value, String field, List<FieldError> errors) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > MAX_ACCESS) {
            errors.add(new FieldError(field, "must be an array of at most " + MAX_ACCESS + " subjects"));
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof String subject) || subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH
                    || subject.chars().anyMatch(Character::isISOControl)) {
                errors.add(new FieldError(field + "[" + i + "]",
                        "must be a subject of 1 to " + MAX_SUBJECT_LENGTH + " characters"));
            } else if (subject.equals(owner)) {
                errors.add(new FieldError(field + "[" + i + "]", "is the task's owner, who needs no grant"));
            } else if (!seen.add(subject)) {
                errors.add(new FieldError(field + "[" + i + "]", "is listed twice"));
            }
        }
        return List.copyOf(seen);
    }

    /**
     * Reads the parent and the dependencies and builds the task: its status follows from them
     * (blocked, failed at once when a dependency already did not succeed, scheduled or queued).
     */
    private Task withRelatives(String owner, String taskId, Request request) {
        TaskOptions options = request.options();
        Instant now = clock.instant();
        Set<String> wanted = new HashSet<>(options.dependsOn());
        if (options.parent() != null) {
            wanted.add(options.parent());
        }
        Map<String, Task> found = wanted.isEmpty() ? Map.of() : store.findAll(wanted);
        List<FieldError> errors = new ArrayList<>();
        if (options.parent() != null) {
            Task parent = found.get(options.parent());
            if (parent == null || !parent.owner().equals(owner) || parent.isExpired(now)) {
                errors.add(new FieldError("parent", "is not one of your tasks"));
            } else if (parent.isTerminal()) {
                errors.add(new FieldError("parent", "is finished (" + parent.status() + ")"));
            } else if (parent.relatives().children() >= MAX_CHILDREN) {
                errors.add(new FieldError("parent", "already has " + MAX_CHILDREN + " children, the most a task may have"));
            }
        }
        List<String> unresolved = new ArrayList<>();
        String failed = null;
        String outcome = null;
        for (int i = 0; i < options.dependsOn().size(); i++) {
            String id = options.dependsOn().get(i);
            Task dependency = found.get(id);
            String field = "dependsOn[" + i + "]";
            if (dependency == null || !dependency.owner().equals(owner)) {
                errors.add(new FieldError(field, "is not one of your tasks"));
            } else if (options.parent() != null && !options.parent().equals(dependency.options().parent())) {
                errors.add(new FieldError(field, "is not a child of the same parent: a child may depend on its siblings only"));
            } else if (dependency.isExpired(now) || dependency.status() != TaskStatus.SUCCEEDED) {
                // finished otherwise, or not finished: resolved now or when it finishes
                unresolved.add(id);
                if (failed == null && (dependency.isTerminal() || dependency.isExpired(now))) {
                    failed = id;
                    outcome = DependencyOutcome.of(dependency, now);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        Task task = Task.create(taskId, owner, request.job().type(), request.description(), request.parameters(),
                options, unresolved, now);
        return failed == null ? task : task.dependencyFailed(failed, outcome, now, retention);
    }

    public static ProblemException invalid(List<FieldError> errors) {
        List<Object> list = new ArrayList<>();
        for (FieldError e : errors) {
            list.add(e.toJson());
        }
        FieldError first = errors.get(0);
        return Problem.of(Problem.Kind.INVALID, "invalid-request", "Invalid request",
                        first.field() + " " + first.message()
                                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""))
                .with("errors", list).exception();
    }
}
