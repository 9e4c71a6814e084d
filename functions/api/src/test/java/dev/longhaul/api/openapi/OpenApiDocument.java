package dev.longhaul.api.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** functions/api/openapi.yaml, read with SnakeYAML, and the lookups the conformance checks need. */
final class OpenApiDocument {
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final Map<String, Object> root;
    private final OpenApiSchemaValidator validator;

    private OpenApiDocument(Map<String, Object> root) {
        this.root = root;
        this.validator = new OpenApiSchemaValidator(root);
    }

    /** The repository's document: under the root Surefire names, else next to the module's pom. */
    static OpenApiDocument load() {
        String rootDir = System.getProperty("longhaul.root.dir");
        Path path = rootDir == null ? Path.of("openapi.yaml") : Path.of(rootDir, "functions", "api", "openapi.yaml");
        return load(path);
    }

    static OpenApiDocument load(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    @SuppressWarnings("unchecked")
    static OpenApiDocument parse(String yaml) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException("the document is not a mapping");
        }
        return new OpenApiDocument((Map<String, Object>) root);
    }

    Map<String, Object> root() {
        return root;
    }

    OpenApiSchemaValidator validator() {
        return validator;
    }

    /** One method on one path template. */
    record Operation(String method, String pathTemplate, Map<String, Object> definition,
                     List<Map<String, Object>> parameters) {
        String id() {
            return String.valueOf(definition.get("operationId"));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> responses() {
            return (Map<String, Object>) definition.get("responses");
        }

        @Override
        public String toString() {
            return method.toUpperCase(Locale.ROOT) + " " + pathTemplate + " (" + id() + ")";
        }
    }

    /** Every operation, path-level parameters merged into each, references resolved. */
    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, Object> path : map(root.get("paths")).entrySet()) {
            Map<String, Object> item = map(path.getValue());
            for (Map.Entry<String, Object> entry : item.entrySet()) {
                if (!METHODS.contains(entry.getKey())) {
                    continue;
                }
                Map<String, Object> definition = map(entry.getValue());
                Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
                for (Object level : new Object[] {item.get("parameters"), definition.get("parameters")}) {
                    if (level != null) {
                        for (Object p : (List<?>) level) {
                            Map<String, Object> parameter = deref(p);
                            parameters.put(parameter.get("in") + ":" + parameter.get("name"), parameter);
                        }
                    }
                }
                operations.add(new Operation(entry.getKey(), path.getKey(), definition,
                        List.copyOf(parameters.values())));
            }
        }
        return operations;
    }

    /** The operation serving {@code method} on a concrete path such as {@code /v1/tasks/01k.../cancel}. */
    Optional<Operation> find(String method, String path) {
        String m = method.toLowerCase(Locale.ROOT);
        return operations().stream()
                .filter(o -> o.method().equals(m) && matches(o.pathTemplate(), path))
                .findFirst();
    }

    static boolean matches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
            if (variable ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    /** The object itself, or the one its {@code $ref} points at (followed repeatedly). */
    Map<String, Object> deref(Object node) {
        Map<String, Object> m = map(node);
        while (m.containsKey("$ref")) {
            m = map(validator.resolve((String) m.get("$ref")));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalStateException("expected a mapping, got " + value);
        }
        return (Map<String, Object>) value;
    }
}
