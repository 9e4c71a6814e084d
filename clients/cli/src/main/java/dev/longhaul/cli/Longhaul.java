package dev.longhaul.cli;

import dev.longhaul.client.LonghaulClient;
import dev.longhaul.client.LonghaulException;
import java.io.Console;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code longhaul} command. */
@Command(name = "longhaul",
        // every subcommand gets --help and --version, and the exit codes unless it lists its own
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        version = "longhaul 0.1.0",
        description = {"Submit, watch, list, cancel and download Longhaul tasks.",
                "Configured by LONGHAUL_URL and LONGHAUL_TOKEN (a bearer JWT), or --url and --token."},
        subcommands = {
                SubmitCommand.class,
                StatusCommand.class,
                WaitCommand.class,
                ListCommand.class,
                CancelCommand.class,
                DeleteCommand.class,
                DownloadCommand.class,
                TypesCommand.class,
                WebhooksCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success: the task succeeded, or the command did what it was asked",
                "1:the task failed (its error code and message go to stderr)",
                "2:usage error",
                "3:the task was cancelled",
                "4:API or network error"})
public final class Longhaul implements Callable<Integer> {
    static final int TASK_FAILED = 1;
    static final int USAGE = 2;
    static final int TASK_CANCELLED = 3;
    static final int API_ERROR = 4;

    private final Map<String, String> environment;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The API's base URL (default: LONGHAUL_URL).")
    private String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "JWT",
            description = "The bearer token (default: LONGHAUL_TOKEN; prefer the variable: options show in ps).")
    private String token;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Machine-readable output: JSON on stdout, problems as JSON on stderr.")
    private boolean json;

    private LonghaulClient client;

    Longhaul(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code. */
    static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        Longhaul root = new Longhaul(environment);
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, line, parseResult) -> root.report(e, err));
        commandLine.setParameterExceptionHandler(Longhaul::usageError);
        return commandLine.execute(args);
    }

    /** Without a command: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    boolean json() {
        return json;
    }

    /** Whether a person watches: stdin and stdout are terminals, and the terminal is not dumb. */
    boolean terminal() {
        return isTerminal(System.console()) && !"dumb".equals(environment.get("TERM"));
    }

    /**
     * Up to JDK 21 a console exists only when stdin and stdout are terminals; from JDK 22 one may
     * exist without, and {@code Console.isTerminal()} (new in 22) tells.
     */
    static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** The client, built on first use from the options or the environment. */
    LonghaulClient client() {
        if (client == null) {
            String baseUrl = url != null ? url : environment.get("LONGHAUL_URL");
            String bearer = token != null ? token : environment.get("LONGHAUL_TOKEN");
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "No API URL: set LONGHAUL_URL or pass --url.");
            }
            if (bearer == null || bearer.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "No token: set LONGHAUL_TOKEN or pass --token.");
            }
            try {
                client = LonghaulClient.builder().baseUrl(baseUrl.trim()).token(() -> bearer.trim()).build();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Bad API URL: " + e.getMessage());
            }
        }
        return client;
    }

    /** The message and where to read more, rather than the whole usage. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("longhaul: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
        return USAGE;
    }

    private int report(Exception e, PrintWriter err) {
        if (e instanceof LonghaulException problem) {
            if (json) {
                err.println(Output.problem(problem));
            } else {
                err.println("longhaul: " + problem.code() + " (" + problem.status() + "): " + problem.detail());
            }
            return API_ERROR;
        }
        if (e instanceof IllegalArgumentException bad) {
            // a malformed id or URL, caught by the client before any request
            err.println("longhaul: " + bad.getMessage());
            return USAGE;
        }
        if (e instanceof UncheckedIOException io) {
            if (json) {
                err.println(Output.networkError(io.getMessage()));
            } else {
                err.println("longhaul: " + io.getMessage());
            }
            return API_ERROR;
        }
        err.println("longhaul: " + e);
        return API_ERROR;
    }
}
