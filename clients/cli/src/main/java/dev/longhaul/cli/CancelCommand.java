package dev.longhaul.cli;

import dev.longhaul.client.Task;
import dev.longhaul.client.TaskStatus;
import picocli.CommandLine.Command;

@Command(name = "cancel", description = "Cancel a task: at once when queued; a running job stops at its next progress point.")
final class CancelCommand extends Subcommand.OnTask {
    @Override
    public Integer call() {
        Task task = client().cancel(id);
        print(task.json(), TaskStatus.CANCELLED.equals(task.status()) ? "cancelled " + id
                : "cancel requested " + id + " (the job stops at its next progress point)");
        return 0;
    }
}
