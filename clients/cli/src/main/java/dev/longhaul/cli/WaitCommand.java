package dev.longhaul.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "wait",
        description = "Follow a task to its end: a live bar (percent, status, ETA, elapsed) on a terminal, "
                + "one status line per change elsewhere, JSON lines with --json.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the task succeeded",
                "1:the task failed (its error code and message go to stderr)",
                "2:usage error",
                "3:the task was cancelled",
                "4:API or network error"})
final class WaitCommand extends Subcommand.OnTask {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Download the result to FILE once it succeeded.")
    private Path output;

    @Override
    public Integer call() {
        return TaskWatcher.watch(root, id, output, out(), err());
    }
}
