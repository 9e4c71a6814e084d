package dev.longhaul.cli;

import dev.longhaul.client.Task;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Show a task: status, progress, times, error or result.")
final class StatusCommand extends Subcommand.OnTask {
    @Override
    public Integer call() {
        Task task = client().get(id);
        PrintWriter out = out();
        if (json()) {
            out.println(Output.json(task.json()));
            return 0;
        }
        row(out, "id", task.id());
        row(out, "type", task.type());
        row(out, "status", task.status() + (task.cancelRequested() ? " (cancel requested)" : ""));
        row(out, "progress", task.progress() == null ? "-" : task.progress() + "%");
        if (task.description() != null) {
            row(out, "description", task.description());
        }
        row(out, "created", Output.instant(task.createdAt()));
        row(out, "started", Output.instant(task.startedAt()));
        row(out, "finished", Output.instant(task.finishedAt()));
        if (task.eta() != null) {
            row(out, "eta", Output.instant(task.eta()));
        }
        if (task.expiresAt() != null) {
            row(out, "expires", Output.instant(task.expiresAt()));
        }
        row(out, "attempts", Integer.toString(task.attempts()));
        if (task.error() != null) {
            row(out, "error", task.error().code() + ": " + task.error().message());
        }
        if (task.result() != null) {
            row(out, "result", task.result().contentType() + ", " + task.result().size() + " bytes");
        }
        return 0;
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf("%-12s %s%n", name, value);
    }
}
