package dev.longhaul.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One fresh JVM running {@code dev.longhaul.bench.launcher.Launcher} with Lambda's JVM flags on
 * one core, in a clean environment holding only the function's variables.
 */
final class ChildJvm {
    /** Lambda's java17/java21 flags, the serial collector (Lambda's choice below 2 vCPUs) and one core. */
    static final List<String> LAMBDA_FLAGS = List.of(
            "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private final Path java;
    private final boolean taskset;
    private final Path home;

    ChildJvm(Path home) {
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.taskset = Files.isExecutable(Path.of("/usr/bin/taskset")) || Files.isExecutable(Path.of("/bin/taskset"));
        this.home = home;
    }

    boolean pinned() {
        return taskset;
    }

    /** The command a run uses, for the record. */
    List<String> command(String classpath, List<String> jvmOptions, List<String> launcherArgs) {
        List<String> command = new ArrayList<>();
        if (taskset) {
            command.addAll(List.of("taskset", "-c", "0"));
        }
        command.add(java.toString());
        command.addAll(LAMBDA_FLAGS);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add("dev.longhaul.bench.launcher.Launcher");
        command.addAll(launcherArgs);
        return command;
    }

    Result run(String classpath, List<String> jvmOptions, List<String> launcherArgs, Map<String, String> environment,
               long timeoutSeconds) {
        ProcessBuilder builder = new ProcessBuilder(command(classpath, jvmOptions, launcherArgs));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        // An empty home: no ~/.aws files for the default chains to find, as on Lambda.
        builder.environment().put("HOME", home.toString());
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().putAll(environment);
        builder.environment().remove("JAVA_TOOL_OPTIONS"); // the flags are on the command line already
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            long launched = System.nanoTime();
            Process process = builder.start();
            byte[] stderr;
            try (InputStream err = process.getErrorStream()) {
                stderr = err.readAllBytes();
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("child JVM timed out");
            }
            long exited = System.nanoTime();
            return Result.parse(launched, exited, process.exitValue(), new String(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Milestones in milliseconds since launch, the handler's response and what else the child said. */
    record Result(int exitCode, Map<String, Double> millis, Map<String, String> values, String response,
                  String stderr, double exitedMillis) {

        static Result parse(long launched, long exited, int exitCode, String stderr) {
            Map<String, Double> millis = new LinkedHashMap<>();
            Map<String, String> values = new LinkedHashMap<>();
            String response = null;
            for (String line : stderr.split("\n")) {
                if (!line.startsWith("@@bench ")) {
                    continue;
                }
                String[] parts = line.substring(8).split(" ", 2);
                if (parts[0].equals("response")) {
                    response = parts.length > 1 ? parts[1] : "";
                } else if (parts[0].endsWith("Bytes")) {
                    values.put(parts[0], parts[1].trim());
                } else {
                    millis.put(parts[0], (Long.parseLong(parts[1].trim()) - launched) / 1e6);
                }
            }
            return new Result(exitCode, millis, values, response, stderr, (exited - launched) / 1e6);
        }

        double between(String from, String to) {
            return millis.get(to) - millis.get(from);
        }

        boolean completed() {
            return exitCode == 0 && millis.containsKey("invoked");
        }
    }
}
