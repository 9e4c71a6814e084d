package dev.longhaul.core.usecase;

import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.job.InvalidParametersException;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.port.ActiveTaskLimitException;
import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.IdSource;
import dev.longhaul.core.port.IdempotencyKeyTakenException;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.port.WorkQueue;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.webhook.Subscription;
import dev.longhaul.core.webhook.TaskCallbacks;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a create request completely, then stores the task (taking an active slot of its
 * owner and its idempotency key in the same atomic write) and enqueues it. Nothing is stored for
 * a rejected request; if the enqueue fails after the write, the write is undone and the client
 * is told to retry (503), so no task is left queued with no message to run it.
 */
public final class CreateTask {
    public static final int MAX_DESCRIPTION_LENGTH = 1024;
    private static final Set<String> FIELDS = Set.of("type", "parameters", "description", TaskCallbacks.FIELD);

    private final TaskStore store;
    private final WorkQueue queue;
    private final JobRegistry jobs;
    private final IdSource ids;
    private final Clock clock;
    private final int maxActivePerOwner;
    private final TaskCallbacks callbacks;

    public CreateTask(TaskStore store, WorkQueue queue, JobRegistry jobs, IdSource ids, Clock clock,
                      int maxActivePerOwner) {
        this(store, queue, jobs, ids, clock, maxActivePerOwner, null);
    }

    /** @param callbacks where {@code callbackUrl}s go; null refuses the field */
    public CreateTask(TaskStore store, WorkQueue queue, JobRegistry jobs, IdSource ids, Clock clock,
                      int maxActivePerOwner, TaskCallbacks callbacks) {
        this.store = store;
        this.queue = queue;
        this.jobs = jobs;
        this.ids = ids;
        this.clock = clock;
        this.maxActivePerOwner = maxActivePerOwner;
        this.callbacks = callbacks;
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
        Task task = validate(owner, body);
        String callbackUrl = (String) body.get(TaskCallbacks.FIELD);
        if (callbackUrl != null) {
            callbacks.check(callbackUrl);
        }
        IdempotencyRecord key = null;
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
                return replay(owner, existing.get(), body);
            }
            key = new IdempotencyRecord(owner, idempotencyKey, hash, task.id(),
                    clock.instant().plus(KEY_RETENTION));
        }
        Admission admission = new Admission(maxActivePerOwner, key);
        try {
            store.create(task, admission);
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
            // a write that timed out may still have landed: take it back (the undo only removes what
            // exists), so the caller's retry, told 503, does not leave a queued task with no message
            try {
                store.undoCreate(task, admission);
            } catch (RuntimeException ignored) {
                // the sweeper re-enqueues a queued task whose message never came
            }
            throw unknownOutcome;
        }
        // the callback is stored before the enqueue: once queued, the task can finish at any time
        Subscription callback = null;
        if (callbackUrl != null) {
            try {
                callback = callbacks.register(task, callbackUrl);
            } catch (RuntimeException callbackFailure) {
                store.undoCreate(task, admission);
                throw Problem.of(Problem.Kind.UNAVAILABLE, "callback-unavailable", "Service unavailable",
                        "The task's callback could not be stored and the task was not created. Retry the request.")
                        .exception();
            }
        }
        try {
            queue.enqueue(task);
        } catch (RuntimeException enqueueFailure) {
            try {
                store.undoCreate(task, admission);
            } catch (RuntimeException undoFailure) {
                // the task stays stored, queued with no message: the sweeper enqueues a task queued too
                // long, so it will run. Telling the caller it was not created would be false.
                return new Created(task, false, callback);
            }
            if (callback != null) {
                try {
                    callbacks.remove(task);
                } catch (RuntimeException ignored) {
                    // an orphan callback is harmless: its task never finishes, and it expires
                }
            }
            throw Problem.of(Problem.Kind.UNAVAILABLE, "queue-unavailable", "Service unavailable",
                    "The task could not be queued and was not created. Retry the request.").exception();
        }
        return new Created(task, false, callback);
    }

    private Created replay(String owner, IdempotencyRecord existing, Map<String, Object> body) {
        String stored = existing.requestHash();
        if (!stored.equals(RequestFingerprint.of(body))) {
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

    @SuppressWarnings("unchecked")
    private Task validate(String owner, Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        Object type = body.get("type");
        Job job = null;
        if (type == null) {
            errors.add(new FieldError("type", "is required"));
        } else if (!(type instanceof String)) {
            errors.add(new FieldError("type", "must be a string"));
        } else {
            job = jobs.find((String) type).orElse(null);
            if (job == null) {
                errors.add(new FieldError("type", "is not a known task type; known types: "
                        + String.join(", ", jobs.types())));
            }
        }
        Object description = body.get("description");
        if (description != null && !(description instanceof String)) {
            errors.add(new FieldError("description", "must be a string"));
        } else if (description != null && ((String) description).length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        }
        Object rawParameters = body.get("parameters");
        Map<String, Object> parameters = null;
        if (rawParameters != null && !(rawParameters instanceof Map)) {
            errors.add(new FieldError("parameters", "must be an object"));
        } else if (job != null) {
            try {
                parameters = job.parameters()
                        .validate(rawParameters == null ? Map.of() : (Map<String, Object>) rawParameters);
            } catch (InvalidParametersException e) {
                errors.addAll(e.errors());
            }
        }
        Object callbackUrl = body.get(TaskCallbacks.FIELD);
        if (callbackUrl != null && !(callbackUrl instanceof String)) {
            errors.add(new FieldError(TaskCallbacks.FIELD, "must be a string"));
        } else if (callbackUrl != null && callbacks == null) {
            errors.add(new FieldError(TaskCallbacks.FIELD, "is not supported by this deployment"));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return Task.create(ids.newId(), owner, job.type(), (String) description, parameters, clock.instant());
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
