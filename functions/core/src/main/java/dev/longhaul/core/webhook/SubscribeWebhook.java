package dev.longhaul.core.webhook;

import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.port.IdSource;
import dev.longhaul.core.usecase.CreateTask;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates an owner-wide subscription: validates the body, refuses targets the {@link TargetGuard}
 * refuses, generates the signing secret and stores it. The secret is returned once, here.
 */
public final class SubscribeWebhook {
    /** Subscriptions one owner may have. */
    public static final int MAX_PER_OWNER = 25;
    private static final Set<String> FIELDS = Set.of("url", "events");

    private final SubscriptionStore store;
    private final TargetGuard guard;
    private final IdSource ids;
    private final Clock clock;

    public SubscribeWebhook(SubscriptionStore store, TargetGuard guard, IdSource ids, Clock clock) {
        this.store = store;
        this.guard = guard;
        this.ids = ids;
        this.clock = clock;
    }

    public Subscription execute(String owner, Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        Object url = body.get("url");
        if (url == null) {
            errors.add(new FieldError("url", "is required"));
        } else if (!(url instanceof String)) {
            errors.add(new FieldError("url", "must be a string"));
        }
        Set<WebhookEvent> events = events(body.get("events"), errors);
        if (!errors.isEmpty()) {
            throw CreateTask.invalid(errors);
        }
        try {
            guard.check((String) url);
        } catch (TargetRefusedException e) {
            throw refused("url", e);
        }
        Subscription subscription = new Subscription(ids.newId(), owner, (String) url, events,
                WebhookSecret.generate(), clock.instant(), null);
        try {
            store.add(subscription, MAX_PER_OWNER);
        } catch (SubscriptionLimitException e) {
            throw Problem.of(Problem.Kind.CONFLICT, "webhook-limit-reached", "Too many webhooks",
                    "An owner may have at most " + e.limit() + " webhooks; delete one first.")
                    .with("limit", e.limit()).exception();
        }
        return subscription;
    }

    /** Absent means every event; otherwise a non-empty list of known event names. */
    private static Set<WebhookEvent> events(Object raw, List<FieldError> errors) {
        if (raw == null) {
            return EnumSet.allOf(WebhookEvent.class);
        }
        if (!(raw instanceof List) || ((List<?>) raw).isEmpty()) {
            errors.add(new FieldError("events", "must be a non-empty list of event names"));
            return Set.of();
        }
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        for (Object item : (List<?>) raw) {
            WebhookEvent event = item instanceof String ? WebhookEvent.fromWire((String) item) : null;
            if (event == null) {
                errors.add(new FieldError("events", "may only hold task.succeeded, task.failed and task.cancelled"));
                return Set.of();
            }
            events.add(event);
        }
        return events;
    }

    /** The 400 for a target the guard refused, naming the field that held it. */
    public static ProblemException refused(String field, TargetRefusedException e) {
        String reason = e.getMessage();
        return Problem.of(Problem.Kind.INVALID, "webhook-target-refused", "Webhook target refused",
                        field + " " + reason + ".")
                .with("errors", List.of(new FieldError(field, reason).toJson())).exception();
    }
}
