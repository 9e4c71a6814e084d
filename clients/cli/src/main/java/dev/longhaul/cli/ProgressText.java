package dev.longhaul.cli;

import dev.longhaul.client.Task;
import java.time.Duration;
import java.time.Instant;

/** The words of a progress report: percent, status, ETA and elapsed time, as a bar or as a plain line. */
final class ProgressText {
    static final int BAR_WIDTH = 24;

    private ProgressText() {
    }

    /** {@code [##########..............]  42%  running  ETA 0:12  elapsed 0:05} */
    static String frame(Task task, Instant now) {
        int percent = percent(task);
        int filled = percent * BAR_WIDTH / 100;
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + line(task, now);
    }

    /** {@code  42%  running  ETA 0:12  elapsed 0:05}: no ETA once the task has finished. */
    static String line(Task task, Instant now) {
        StringBuilder text = new StringBuilder(String.format("%3d%%  %s", percent(task), task.status()));
        if (!task.isTerminal()) {
            text.append("  ETA ").append(task.eta() == null ? "--:--" : Output.duration(Duration.between(now, task.eta())));
        }
        Instant end = task.isTerminal() && task.finishedAt() != null ? task.finishedAt() : now;
        text.append("  elapsed ").append(task.createdAt() == null ? "--:--"
                : Output.duration(Duration.between(task.createdAt(), end)));
        return text.toString();
    }

    /** What a plain report changes on: the status and the percent, not the clock. */
    static String state(Task task) {
        return task.status() + " " + percent(task);
    }

    static int percent(Task task) {
        Integer progress = task.progress();
        return progress == null ? 0 : Math.max(0, Math.min(100, progress));
    }
}
