package dev.longhaul.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longhaul.client.Task;
import dev.longhaul.client.TaskQuery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List your tasks, newest first, every page (or --limit of them).")
final class ListCommand extends Subcommand {
    @Option(names = "--status", paramLabel = "S", description = "Only tasks in this status (queued, running, succeeded, failed, cancelled).")
    private String status;

    @Option(names = "--type", paramLabel = "T", description = "Only tasks of this type.")
    private String type;

    @Option(names = "--limit", paramLabel = "N", description = "At most N tasks.")
    private Integer limit;

    @Override
    public Integer call() {
        if (limit != null && limit < 1) {
            throw usage("--limit must be at least 1");
        }
        TaskQuery.Builder query = TaskQuery.builder();
        if (status != null) {
            query.status(status);
        }
        if (type != null) {
            query.type(type);
        }
        List<Task> tasks = new ArrayList<>();
        for (Task task : client().list(query.build())) {
            if (limit != null && tasks.size() >= limit) {
                break;
            }
            tasks.add(task);
        }
        PrintWriter out = out();
        if (json()) {
            List<JsonNode> nodes = new ArrayList<>();
            tasks.forEach(task -> nodes.add(task.json()));
            out.println(Output.array(nodes));
            return 0;
        }
        String format = "%-36s  %-14s  %-10s  %8s  %s%n";
        out.printf(format, "ID", "TYPE", "STATUS", "PROGRESS", "CREATED");
        for (Task task : tasks) {
            out.printf(format, task.id(), task.type(), task.status(),
                    task.progress() == null ? "-" : task.progress() + "%", Output.instant(task.createdAt()));
        }
        return 0;
    }
}
