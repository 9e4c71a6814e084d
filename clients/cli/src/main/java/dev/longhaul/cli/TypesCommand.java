package dev.longhaul.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longhaul.client.LonghaulException;
import dev.longhaul.client.TaskType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

@Command(name = "types", description = "List the job types the deployment runs, with their parameters (* required).")
final class TypesCommand extends Subcommand {
    @Override
    public Integer call() {
        List<TaskType> types;
        try {
            types = client().taskTypes();
        } catch (LonghaulException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw new LonghaulException(e.status(), e.code(), e.title(),
                    "This deployment does not publish its task types (GET /v1/task-types answered 404).", e.problem(),
                    null);
        }
        PrintWriter out = out();
        if (json()) {
            List<JsonNode> nodes = new ArrayList<>();
            types.forEach(type -> nodes.add(type.json()));
            out.println(Output.array(nodes));
            return 0;
        }
        for (TaskType type : types) {
            out.println(type.type() + (type.resumable() ? "  (resumable)" : "")
                    + (type.description() == null ? "" : "  " + type.description()));
            out.println("    " + parameters(type.parameters()));
        }
        return 0;
    }

    /** {@code rows:integer* format:csv|json=csv}: name, type or options, * when required, = default. */
    static String parameters(JsonNode schema) {
        JsonNode properties = schema == null ? null : schema.get("properties");
        if (properties == null || properties.isEmpty()) {
            return "(no parameters)";
        }
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        List<String> words = new ArrayList<>();
        properties.fields().forEachRemaining(member -> {
            JsonNode property = member.getValue();
            StringBuilder word = new StringBuilder(member.getKey()).append(':');
            if (property.has("enum")) {
                List<String> options = new ArrayList<>();
                property.get("enum").forEach(option -> options.add(option.asText()));
                word.append(String.join("|", options));
            } else {
                word.append(property.path("type").isMissingNode() ? "any" : property.get("type").toString().replace("\"", ""));
            }
            if (required.contains(member.getKey())) {
                word.append('*');
            }
            if (property.has("default")) {
                word.append('=').append(property.get("default").asText());
            }
            words.add(word.toString());
        });
        return String.join("  ", words);
    }
}
