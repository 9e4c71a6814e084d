package dev.longhaul.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longhaul.client.Webhook;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "webhooks", description = "Subscribe to your tasks' events (Standard Webhooks), list and remove subscriptions.")
final class WebhooksCommand extends Subcommand {
    @Override
    public Integer call() {
        throw usage("Missing a command: add, list or rm.");
    }

    @Command(name = "add", description = "Subscribe URL; prints the id and the signing secret, shown this once.")
    int add(@Parameters(paramLabel = "URL", description = "An https URL that answers 2xx within 10 s.") String url,
            @Option(names = "--event", paramLabel = "E",
                    description = "task.succeeded, task.failed or task.cancelled; repeat for several (default: all three).")
            List<String> events) {
        Webhook webhook = client().createWebhook(url, events == null ? List.of() : events);
        print(webhook.json(), String.join(System.lineSeparator(), "id      " + webhook.id(),
                "events  " + String.join(",", webhook.events()), "secret  " + webhook.secret()));
        if (!json()) {
            err().println("Store the secret now: it is shown only once. Verify deliveries with it.");
        }
        return 0;
    }

    @Command(name = "list", description = "List your webhooks (without their secrets).")
    int list() {
        List<Webhook> webhooks = client().webhooks();
        PrintWriter out = out();
        if (json()) {
            List<JsonNode> nodes = new ArrayList<>();
            webhooks.forEach(webhook -> nodes.add(webhook.json()));
            out.println(Output.array(nodes));
            return 0;
        }
        String format = "%-36s  %-45s  %s%n";
        out.printf(format, "ID", "EVENTS", "URL");
        for (Webhook webhook : webhooks) {
            out.printf(format, webhook.id(), String.join(",", webhook.events()), webhook.url());
        }
        return 0;
    }

    @Command(name = "rm", description = "Remove a webhook; deliveries still queued for it are dropped.")
    int remove(@Parameters(paramLabel = "ID", description = "The webhook id.") String id) {
        client().deleteWebhook(id);
        print(Output.deleted(id), "deleted " + id);
        return 0;
    }
}
