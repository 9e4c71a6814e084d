package dev.longhaul.cli;

import dev.longhaul.client.LonghaulClient;
import dev.longhaul.client.Task;
import dev.longhaul.client.TaskStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Follows a task to its end for {@code wait} and {@code submit --wait}, and turns the end into the exit code. */
final class TaskWatcher {
    /** As long as it takes: Ctrl-C stops waiting, not the task. */
    private static final Duration FOREVER = Duration.ofDays(3650);

    private TaskWatcher() {
    }

    static int watch(Longhaul root, String id, Path output, PrintWriter out, PrintWriter err) {
        LonghaulClient client = root.client();
        Task done;
        try (ProgressView view = ProgressView.create(root.json(), root.terminal(), out, err, Clock.systemUTC())) {
            done = client.waitFor(id, FOREVER, view::show);
        }
        if (TaskStatus.SUCCEEDED.equals(done.status())) {
            if (output != null) {
                long bytes = DownloadCommand.save(root.client(), id, output);
                if (!root.json()) {
                    err.println("wrote " + output + " (" + bytes + " bytes)");
                }
            }
            return 0;
        }
        if (TaskStatus.FAILED.equals(done.status())) {
            String code = done.error() == null ? "failed" : done.error().code();
            String message = done.error() == null ? "" : done.error().message();
            err.println("longhaul: task " + id + " failed: " + code + ": " + message);
            return Longhaul.TASK_FAILED;
        }
        if (TaskStatus.CANCELLED.equals(done.status())) {
            err.println("longhaul: task " + id + " was cancelled");
            return Longhaul.TASK_CANCELLED;
        }
        err.println("longhaul: task " + id + " ended " + done.status() + ", which this client does not know");
        return Longhaul.API_ERROR;
    }
}
