package dev.longhaul.core.testing;

import dev.longhaul.core.webhook.CheckedTarget;
import dev.longhaul.core.webhook.WebhookSender;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Records every post and answers with queued statuses (200 once they run out; null = no answer). */
public final class RecordingWebhookSender implements WebhookSender {
    public record Sent(CheckedTarget target, Map<String, String> headers, String body) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();

    public synchronized RecordingWebhookSender answering(Integer... statuses) {
        for (Integer status : statuses) {
            answers.add(status == null ? -1 : status);
        }
        return this;
    }

    @Override
    public synchronized Response post(CheckedTarget target, Map<String, String> headers, String body) {
        sent.add(new Sent(target, Map.copyOf(headers), body));
        Integer status = answers.isEmpty() ? 200 : answers.poll();
        return status == -1 ? new Response(null, "timed out") : new Response(status, null);
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }
}
