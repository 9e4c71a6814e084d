package dev.longhaul.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longhaul.client.CreateTaskRequest;
import dev.longhaul.client.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit",
        description = {"Create a task of TYPE and print its id; with --wait (or -o), follow it to the end.",
                "KEY=VALUE parameters are typed by the type's parameter schema where the API publishes it "
                        + "(GET /v1/task-types), else by their form: integers, numbers, true/false, "
                        + "JSON objects and arrays, else strings."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:created (and, with --wait, succeeded)",
                "1:the task failed (its error code and message go to stderr)",
                "2:usage error",
                "3:the task was cancelled",
                "4:API or network error"})
final class SubmitCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "TYPE", description = "The job type, such as report.stock.")
    private String type;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Parameters, such as rows=100000.")
    private List<String> assignments = new ArrayList<>();

    @Option(names = "--params-file", paramLabel = "FILE",
            description = "A JSON object of parameters; KEY=VALUE words override its members.")
    private Path paramsFile;

    @Option(names = "--queue", paramLabel = "Q", description = "The queue to run in (for APIs that have queues).")
    private String queue;

    @Option(names = "--name", paramLabel = "N", description = "A name for the task (for APIs that name tasks).")
    private String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text kept with the task.")
    private String description;

    @Option(names = "--idempotency-key", paramLabel = "K",
            description = "Makes a repeated submit return the same task (default: a new key each time).")
    private String idempotencyKey;

    @Option(names = "--wait", description = "Follow the task to its end: a live bar on a terminal, status lines elsewhere.")
    private boolean wait;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Wait, then download the result to FILE.")
    private Path output;

    @Override
    public Integer call() {
        CreateTaskRequest.Builder request = CreateTaskRequest.builder(type).parameters(parameters());
        if (queue != null) {
            request.field("queue", queue);
        }
        if (name != null) {
            request.field("name", name);
        }
        if (description != null) {
            request.description(description);
        }
        request.idempotencyKey(idempotencyKey);
        Task task = client().create(request.build());
        boolean following = wait || output != null;
        if (!json() || !following) {
            // with --json --wait, the task's states follow as JSON lines
            print(task.json(), task.id());
        }
        out().flush();
        return following ? TaskWatcher.watch(root, task.id(), output, out(), err()) : 0;
    }

    private Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (paramsFile != null) {
            JsonNode file;
            try {
                file = Output.MAPPER.readTree(Files.readString(paramsFile));
            } catch (IOException e) {
                throw usage("Cannot read --params-file " + paramsFile + ": " + e.getMessage());
            }
            if (file == null || !file.isObject()) {
                throw usage("--params-file " + paramsFile + " must hold a JSON object");
            }
            file.fields().forEachRemaining(member -> parameters.put(member.getKey(), member.getValue()));
        }
        if (assignments.isEmpty()) {
            return parameters;
        }
        ParameterTyping typing = ParameterTyping.forType(client(), type);
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw usage("Parameters are KEY=VALUE, not '" + assignment + "'");
            }
            String key = assignment.substring(0, equals);
            try {
                parameters.put(key, typing.value(key, assignment.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return parameters;
    }
}
