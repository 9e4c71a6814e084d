package dev.longhaul.bench;

import dev.longhaul.api.ApiHandler;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.emulators.SqsEvents;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code report.stock} of many rows, created through the API handler, run by the worker's
 * shaded jar in a child JVM with a 128 MB heap, against the emulators.
 */
final class MemoryRun {
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final Workspace workspace;
    private final LocalCloud cloud;
    private final PrintStream out;

    MemoryRun(Workspace workspace, LocalCloud cloud, PrintStream out) {
        this.workspace = workspace;
        this.cloud = cloud;
        this.out = out;
    }

    String run(long rows) {
        cloud.purgeQueue();
        ApiHandler api = new ApiHandler(cloud.environment("ApiFunction"));
        String id = Invocations.createdId(Invocations.invoke(api, Invocations.createEvent(workspace.root(),
                "{\"type\":\"report.stock\",\"parameters\":{\"rows\":" + rows + ",\"format\":\"csv\",\"seed\":42}}")));
        List<Message> messages = cloud.receive(1, 5);
        if (messages.isEmpty()) {
            throw new IllegalStateException("the create sent no message");
        }
        Path event = workspace.write("memory-event.json", Json.write(SqsEvents.of(messages, "arn:aws:sqs:us-east-1:000000000000:WorkQueue")));
        Path gcLog = workspace.temp().resolve("memory-gc.log");
        Path workerJar = workspace.root().resolve("functions/worker/target/longhaul-worker.jar");
        String classpath = workerJar + ":" + workspace.launcherClasspath();
        List<String> options = List.of("-Xmx128m", "-Xlog:gc:file=" + gcLog);
        List<String> args = List.of("dev.longhaul.worker.WorkerHandler", event.toString(), "-", "heap");
        ChildJvm jvm = new ChildJvm(workspace.home());
        out.println("Memory: report.stock of " + rows + " rows, worker heap capped at 128 MB ...");
        ChildJvm.Result result = jvm.run(classpath, options, args, cloud.environment("WorkerFunction"), 1800);
        if (!result.completed()) {
            throw new IllegalStateException("worker run failed: " + ColdStart.tail(result.stderr()));
        }
        Task task = cloud.find(id);
        double seconds = result.between("invoke", "invoked") / 1000;
        long peak = Long.parseLong(result.values().get("heapPeakBytes"));
        long size = task.result() == null ? -1 : task.result().size();
        int[] gc = gcFigures(gcLog);
        StringBuilder md = new StringBuilder();
        md.append("### Constant memory: report.stock, ").append(String.format(Locale.ROOT, "%,d", rows)).append(" rows\n\n");
        md.append(String.format(Locale.ROOT, "| figure | value |%n|---|---:|%n"));
        md.append(String.format(Locale.ROOT, "| task status | %s |%n", task.status().wire()));
        md.append(String.format(Locale.ROOT, "| result size | %,d bytes (%.0f MB) |%n", size, size / 1e6));
        md.append(String.format(Locale.ROOT, "| worker invoke (claim → result stored → succeeded) | %.1f s |%n", seconds));
        md.append(String.format(Locale.ROOT, "| rows/s, MB/s | %,.0f, %.1f |%n", rows / seconds, size / 1e6 / seconds));
        md.append(String.format(Locale.ROOT, "| heap cap (-Xmx128m, as the JVM reports it) | %.1f MB |%n",
                Long.parseLong(result.values().get("heapMaxBytes")) / 1048576.0));
        md.append(String.format(Locale.ROOT, "| peak heap used (sum of heap pools' peak usage) | %.1f MB |%n", peak / 1048576.0));
        md.append(String.format(Locale.ROOT, "| GC log: collections, largest heap before a collection, largest after | %d, %d MB, %d MB |%n",
                gc[0], gc[1], gc[2]));
        md.append("\nCommand: `").append(String.join(" ", jvm.command(classpath, options, args))).append("`\n");
        return md.toString();
    }

    private static int[] gcFigures(Path log) {
        int count = 0;
        int maxBefore = 0;
        int maxAfter = 0;
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    count++;
                    maxBefore = Math.max(maxBefore, Integer.parseInt(m.group(1)));
                    maxAfter = Math.max(maxAfter, Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new int[] {count, maxBefore, maxAfter};
    }
}
