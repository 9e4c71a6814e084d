package dev.longhaul.core.webhook;

import dev.longhaul.core.task.Notification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Makes one attempt at a delivery: looks the subscription up (gone means unsubscribed: dropped),
 * checks its target again (its name may resolve elsewhere now), signs and posts to the address just
 * checked, and records the attempt in the task's notifications. A failed attempt is retried on the {@link RetrySchedule};
 * the last one is recorded as {@code failed} and the message is left to the dead-letter queue.
 */
public final class DeliverWebhook {
    public static final String USER_AGENT = "Longhaul-Webhooks/1";

    public enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** The attempt failed; try again after {@link Result#retryIn()}. */
        RETRY,
        /** The last attempt failed: leave the message to the dead-letter queue. */
        GAVE_UP,
        /** Nothing to send any more (the subscription is gone): done. */
        DROPPED
    }

    /**
     * @param recorded false when the attempt could not be recorded (the task is gone, or the
     *                 write failed)
     */
    public record Result(Outcome outcome, Integer statusCode, Duration retryIn, boolean recorded) {
    }

    private final SubscriptionStore subscriptions;
    private final TargetGuard guard;
    private final WebhookSender sender;
    private final NotificationLog notifications;
    private final RetrySchedule schedule;
    private final Clock clock;

    public DeliverWebhook(SubscriptionStore subscriptions, TargetGuard guard, WebhookSender sender,
                          NotificationLog notifications, RetrySchedule schedule, Clock clock) {
        this.subscriptions = subscriptions;
        this.guard = guard;
        this.sender = sender;
        this.notifications = notifications;
        this.schedule = schedule;
        this.clock = clock;
    }

    public RetrySchedule schedule() {
        return schedule;
    }

    /** @param attempt which attempt this is, 1 for the first (SQS's receive count) */
    public Result execute(Delivery delivery, int attempt) {
        Optional<Subscription> found = delivery.isCallback()
                ? subscriptions.findCallback(delivery.taskId())
                : subscriptions.find(delivery.owner(), delivery.subscriptionId());
        Subscription subscription = found.filter(s -> s.owner().equals(delivery.owner())).orElse(null);
        if (subscription == null) {
            return new Result(Outcome.DROPPED, null, null, false);
        }
        Integer status = null;
        boolean delivered = false;
        String outcome;
        try {
            CheckedTarget target = guard.check(subscription.url());
            Map<String, String> headers = new LinkedHashMap<>(
                    new WebhookSigner(subscription.secret()).headers(delivery.webhookId(), clock.instant(),
                            delivery.payload()));
            headers.put("content-type", "application/json");
            headers.put("user-agent", USER_AGENT);
            WebhookSender.Response response = sender.post(target, headers, delivery.payload());
            status = response.statusCode();
            delivered = response.delivered();
            outcome = delivered ? "delivered" : schedule.isLast(attempt) ? "failed" : "retrying";
        } catch (TargetRefusedException refused) {
            outcome = schedule.isLast(attempt) ? "failed" : "refused";
        }
        Instant now = clock.instant();
        boolean recorded = record(delivery, new Notification(now, delivery.event().wire(),
                delivery.subscriptionId(), attempt, status, outcome));
        if (delivered) {
            return new Result(Outcome.DELIVERED, status, null, recorded);
        }
        if (schedule.isLast(attempt)) {
            return new Result(Outcome.GAVE_UP, status, null, recorded);
        }
        return new Result(Outcome.RETRY, status, schedule.delayAfter(attempt), recorded);
    }

    private boolean record(Delivery delivery, Notification notification) {
        try {
            return notifications.append(delivery.taskId(), notification);
        } catch (RuntimeException e) {
            // the attempt happened either way: a lost record must not cause another send
            return false;
        }
    }
}
