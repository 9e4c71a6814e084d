package dev.longhaul.cli;

import picocli.CommandLine.Command;

@Command(name = "delete", description = "Delete a task and its result.")
final class DeleteCommand extends Subcommand.OnTask {
    @Override
    public Integer call() {
        client().delete(id);
        print(Output.deleted(id), "deleted " + id);
        return 0;
    }
}
