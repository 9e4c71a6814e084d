package dev.longhaul.bench;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Where things are: the repository, the extracted launcher, a scratch directory. */
final class Workspace {
    private static final List<String> LAUNCHER_CLASSES = List.of("Launcher", "BenchContext", "ConstantHandler",
            "JacksonJrBindingHandler", "RuntimeSerializerBindingHandler");

    private final Path root;
    private final Path temp;
    private final Path launcher;
    private final Path home;

    private Workspace(Path root, Path temp) throws IOException {
        this.root = root;
        this.temp = temp;
        this.launcher = Files.createDirectories(temp.resolve("launcher"));
        this.home = Files.createDirectories(temp.resolve("home"));
        for (String name : LAUNCHER_CLASSES) {
            String resource = "dev/longhaul/bench/launcher/" + name + ".class";
            Path target = launcher.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = Workspace.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("launcher class missing from the harness: " + resource);
                }
                Files.write(target, in.readAllBytes());
            }
        }
    }

    /** The repository root: {@code -Dlonghaul.root.dir}, else four levels above the harness jar. */
    static Workspace create() {
        try {
            String property = System.getProperty("longhaul.root.dir");
            Path root;
            if (property != null) {
                root = Path.of(property);
            } else {
                Path jar = Path.of(Workspace.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                root = jar.getParent().getParent().getParent().getParent();
            }
            root = root.toAbsolutePath().normalize();
            if (!Files.isRegularFile(root.resolve("template.yaml"))) {
                throw new IllegalStateException("no template.yaml in " + root + ": set -Dlonghaul.root.dir");
            }
            return new Workspace(root, Files.createTempDirectory("longhaul-bench"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Path root() {
        return root;
    }

    Path temp() {
        return temp;
    }

    Path home() {
        return home;
    }

    /** The directory holding only the launcher classes: what the child JVMs add to a function's jar. */
    Path launcherClasspath() {
        return launcher;
    }

    /** The Lambda core interfaces, the only thing the floor handler needs besides itself. */
    Path lambdaCoreJar() {
        try (var files = Files.list(root.resolve("infra/bench/target/lib"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-core-"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("aws-lambda-java-core not in target/lib"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar (or class directory) the harness loaded {@code type} from: what a child JVM needs for it. */
    static Path codeOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Path event(String name) {
        return root.resolve("events").resolve(name);
    }

    Path write(String name, String content) {
        try {
            return Files.writeString(temp.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of the first record of an SQS event file. */
    @SuppressWarnings("unchecked")
    static String firstBody(Path sqsEvent) {
        try {
            Map<String, Object> event = Json.parseObject(Files.readString(sqsEvent, StandardCharsets.UTF_8));
            List<Object> records = JsonObject.of(event).list("Records");
            return JsonObject.of((Map<String, Object>) records.get(0)).string("body");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
