package dev.longhaul.cli;

import dev.longhaul.client.LonghaulClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every command under {@code longhaul} has: the client, the output streams, --json. */
abstract class Subcommand implements Callable<Integer> {
    @ParentCommand
    Longhaul root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    LonghaulClient client() {
        return root.client();
    }

    boolean json() {
        return root.json();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code json} for --json, else {@code text}. */
    void print(Object json, String text) {
        out().println(json() ? Output.json(json) : text);
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** A command about one task. */
    abstract static class OnTask extends Subcommand {
        @CommandLine.Parameters(index = "0", paramLabel = "ID", description = "The task id.")
        String id;
    }
}
