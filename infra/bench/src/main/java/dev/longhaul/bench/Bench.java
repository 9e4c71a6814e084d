package dev.longhaul.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark harness. {@code java -jar infra/bench/target/longhaul-bench.jar <command> [n]}:
 * <ul>
 *   <li>{@code coldstart [runs=7]}: cold starts, interleaved, against the SDK-defaults baseline and the floor</li>
 *   <li>{@code memory [rows=10000000]}: {@code report.stock} in a worker JVM capped at 128 MB</li>
 *   <li>{@code throughput [tasks=2000]}: {@code demo.sleep} tasks through the handlers in this JVM</li>
 *   <li>{@code all}: the three in turn</li>
 * </ul>
 * The emulators start once, in this JVM; each report also goes to {@code infra/bench/target/*.md}.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "coldstart";
        // Handlers log one JSON line per request; the in-process runs would drown the report in them.
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        Workspace workspace = Workspace.create();
        out.println("Starting the emulators and provisioning " + workspace.root().resolve("template.yaml"));
        try (LocalCloud cloud = LocalCloud.start(workspace.root())) {
            out.printf(Locale.ROOT, "Emulators ready in %d ms%n", cloud.emulators().startupTime().toMillis());
            switch (command) {
                case "coldstart" -> coldStart(workspace, cloud, out, intArg(args, 7));
                case "memory" -> memory(workspace, cloud, out, longArg(args, 10_000_000L));
                case "throughput" -> throughput(workspace, cloud, out, intArg(args, 2000));
                case "all" -> {
                    coldStart(workspace, cloud, out, 7);
                    memory(workspace, cloud, out, 10_000_000L);
                    throughput(workspace, cloud, out, 2000);
                }
                default -> throw new IllegalArgumentException("unknown command " + command
                        + " (coldstart | memory | throughput | all)");
            }
        }
        out.flush();
        System.exit(0);
    }

    private static void coldStart(Workspace workspace, LocalCloud cloud, PrintStream out, int runs) {
        ColdStart coldStart = new ColdStart(workspace, cloud, out);
        out.println("Cold start: " + runs + " interleaved rounds" + (coldStart.pinned() ? ", pinned to core 0" : ""));
        List<ColdStart.Summary> summaries = coldStart.run(runs);
        String report = Reports.coldStart(summaries, coldStart, runs);
        out.println(report);
        save(workspace, "coldstart.md", report);
    }

    private static void memory(Workspace workspace, LocalCloud cloud, PrintStream out, long rows) {
        String report = new MemoryRun(workspace, cloud, out).run(rows);
        out.println(report);
        save(workspace, "memory.md", report);
    }

    private static void throughput(Workspace workspace, LocalCloud cloud, PrintStream out, int tasks)
            throws InterruptedException {
        String report = new Throughput(cloud, out).run(tasks);
        out.println(report);
        save(workspace, "throughput.md", report);
    }

    private static void save(Workspace workspace, String name, String report) {
        try {
            Path target = Files.createDirectories(workspace.root().resolve("infra/bench/target"));
            Files.writeString(target.resolve(name), report, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int intArg(String[] args, int fallback) {
        return args.length > 1 ? Integer.parseInt(args[1]) : fallback;
    }

    private static long longArg(String[] args, long fallback) {
        return args.length > 1 ? Long.parseLong(args[1]) : fallback;
    }
}
