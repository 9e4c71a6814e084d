package dev.longhaul.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.ZipFile;

/**
 * Cold starts of each function, of the floor and of the SDK-defaults baseline, run interleaved
 * (A B C A B C ...) in fresh JVMs, plus one extra run per candidate with {@code -Xlog:class+load}
 * for the (deterministic) class count, kept apart so logging does not skew the timings.
 */
final class ColdStart {
    private static final String API_EVENT = "api-create-task.json";
    private static final String WORKER_EVENT = "sqs-task-batch.json";

    private final Workspace workspace;
    private final LocalCloud cloud;
    private final ChildJvm jvm;
    private final PrintStream out;

    ColdStart(Workspace workspace, LocalCloud cloud, PrintStream out) {
        this.workspace = workspace;
        this.cloud = cloud;
        this.jvm = new ChildJvm(workspace.home());
        this.out = out;
    }

    /** @param logicalId the function in template.yaml whose environment the candidate runs with */
    record Candidate(String name, String logicalId, Path jar, String classpath, String handler, String event,
                     String priming, Predicate<String> success) {
    }

    record Summary(Candidate candidate, long jarBytes, int classes, int classesFromJars, Map<String, List<Double>> samples,
                   int failures) {
        double median(String metric) {
            List<Double> values = samples.get(metric);
            return values == null || values.isEmpty() ? Double.NaN : Stats.median(values);
        }
    }

    List<Candidate> candidates() {
        Path root = workspace.root();
        Path apiJar = root.resolve("functions/api/target/longhaul-api.jar");
        Path workerJar = root.resolve("functions/worker/target/longhaul-worker.jar");
        Path baselineJar = root.resolve("infra/bench/target/sdk-defaults-baseline.jar");
        String launcher = workspace.launcherClasspath().toString();
        Predicate<String> created = response -> response != null && response.contains("\"statusCode\":202");
        Predicate<String> processed = response -> response != null && response.contains("\"batchItemFailures\":[]");
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(new Candidate("floor (constant handler)", "ApiFunction", null,
                launcher + ":" + workspace.lambdaCoreJar(),
                "dev.longhaul.bench.launcher.ConstantHandler", API_EVENT, null, response -> response != null));
        // how the API event is bound to its type, alone: the functions' jackson-jr binding against
        // the Lambda runtime's own serializer (what a RequestHandler<APIGatewayV2HTTPEvent, ...> gets)
        String events = Workspace.codeOf(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.class)
                + ":" + Workspace.codeOf(org.joda.time.DateTime.class) + ":" + workspace.lambdaCoreJar();
        Predicate<String> bound = response -> response != null && response.contains("/v1/tasks");
        candidates.add(new Candidate("binding: jackson-jr (the functions')", "ApiFunction", null,
                launcher + ":" + events + ":" + Workspace.codeOf(dev.longhaul.lambda.LambdaEvents.class) + ":"
                        + Workspace.codeOf(com.fasterxml.jackson.jr.ob.JSON.class) + ":"
                        + Workspace.codeOf(com.fasterxml.jackson.core.JsonFactory.class),
                "dev.longhaul.bench.launcher.JacksonJrBindingHandler", API_EVENT, null, bound));
        candidates.add(new Candidate("binding: the runtime's serializer", "ApiFunction", null,
                launcher + ":" + events + ":" + Workspace.codeOf(
                        com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers.class),
                "dev.longhaul.bench.launcher.RuntimeSerializerBindingHandler", API_EVENT, null, bound));
        candidates.add(new Candidate("api", "ApiFunction", apiJar, apiJar + ":" + launcher,
                "dev.longhaul.api.ApiHandler", API_EVENT, null, created));
        candidates.add(new Candidate("api, SDK defaults", "ApiFunction", baselineJar, baselineJar + ":" + launcher,
                "dev.longhaul.bench.baseline.DefaultsApiHandler", API_EVENT, null, created));
        if (hasClass(apiJar, "dev/longhaul/api/ApiPriming.class")) {
            candidates.add(new Candidate("api, primed (restore)", "ApiFunction", apiJar, apiJar + ":" + launcher,
                    "dev.longhaul.api.ApiHandler", API_EVENT, "dev.longhaul.api.ApiPriming", created));
        }
        candidates.add(new Candidate("worker", "WorkerFunction", workerJar, workerJar + ":" + launcher,
                "dev.longhaul.worker.WorkerHandler", WORKER_EVENT, null, processed));
        candidates.add(new Candidate("worker, SDK defaults", "WorkerFunction", baselineJar, baselineJar + ":" + launcher,
                "dev.longhaul.bench.baseline.DefaultsWorkerHandler", WORKER_EVENT, null, processed));
        if (hasClass(workerJar, "dev/longhaul/worker/WorkerPriming.class")) {
            candidates.add(new Candidate("worker, primed (restore)", "WorkerFunction", workerJar, workerJar + ":" + launcher,
                    "dev.longhaul.worker.WorkerHandler", WORKER_EVENT, "dev.longhaul.worker.WorkerPriming", processed));
        }
        // the other functions, each on its sample event, with no side effect that matters to the next run
        Path maintenanceJar = root.resolve("functions/maintenance/target/longhaul-maintenance.jar");
        Path notifierJar = root.resolve("functions/notifier/target/longhaul-notifier.jar");
        Predicate<String> answered = response -> response != null && !response.contains("errorMessage");
        candidates.add(new Candidate("sweeper", "SweeperFunction", maintenanceJar, maintenanceJar + ":" + launcher,
                "dev.longhaul.maintenance.SweeperHandler", "schedule-sweep.json", null, answered));
        candidates.add(new Candidate("dead letter", "DeadLetterFunction", maintenanceJar, maintenanceJar + ":" + launcher,
                "dev.longhaul.maintenance.DeadLetterHandler", "sqs-dead-letter-batch.json", null, processed));
        candidates.add(new Candidate("result clean-up", "ResultCleanupFunction", maintenanceJar,
                maintenanceJar + ":" + launcher, "dev.longhaul.maintenance.ResultCleanupHandler", "dynamodb-ttl-remove.json",
                null, processed));
        candidates.add(new Candidate("notifier", "NotifierFunction", notifierJar, notifierJar + ":" + launcher,
                "dev.longhaul.notifier.TaskStreamHandler", "dynamodb-task-finished.json", null, processed));
        candidates.add(new Candidate("webhook delivery", "WebhookDeliveryFunction", notifierJar,
                notifierJar + ":" + launcher, "dev.longhaul.notifier.WebhookDeliveryHandler",
                "sqs-webhook-delivery-batch.json", null, processed));
        return candidates;
    }

    List<Summary> run(int runs) {
        List<Candidate> candidates = candidates();
        Map<Candidate, Map<String, List<Double>>> samples = new LinkedHashMap<>();
        Map<Candidate, Integer> failures = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            samples.put(candidate, new LinkedHashMap<>());
            failures.put(candidate, 0);
        }
        Map<Candidate, int[]> classes = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            classes.put(candidate, countClasses(candidate));
        }
        for (int run = 1; run <= runs; run++) {
            for (Candidate candidate : candidates) {
                ChildJvm.Result result = launch(candidate, List.of());
                if (!result.completed() || !candidate.success().test(result.response())) {
                    failures.merge(candidate, 1, Integer::sum);
                    out.println("  run " + run + " " + candidate.name() + " FAILED: " + tail(result.stderr()));
                    continue;
                }
                Map<String, List<Double>> s = samples.get(candidate);
                add(s, "boot", result.millis().get("main"));
                add(s, "init", result.millis().get("constructed"));
                add(s, "firstInvoke", result.between("invoke", "invoked"));
                add(s, "launchToResponse", result.millis().get("invoked"));
                if (result.millis().containsKey("restored")) {
                    add(s, "priming", result.between("constructed", "checkpoint"));
                }
            }
            out.printf(Locale.ROOT, "  round %d/%d done%n", run, runs);
        }
        List<Summary> summaries = new ArrayList<>();
        for (Candidate candidate : candidates) {
            long size = candidate.jar() == null ? sizeOf(workspace.launcherClasspath()) : sizeOf(candidate.jar());
            int[] counted = classes.get(candidate);
            summaries.add(new Summary(candidate, size, counted[0], counted[1], samples.get(candidate),
                    failures.get(candidate)));
        }
        return summaries;
    }

    private ChildJvm.Result launch(Candidate candidate, List<String> extraOptions) {
        Path event = workspace.event(candidate.event());
        if (candidate.logicalId().equals("WorkerFunction")) {
            cloud.putQueuedTask(Workspace.firstBody(event));
        }
        List<String> options = new ArrayList<>(List.of("-Xmx870m"));
        options.addAll(extraOptions);
        List<String> args = new ArrayList<>(List.of(candidate.handler(), event.toString(),
                candidate.priming() == null ? "-" : candidate.priming()));
        return jvm.run(candidate.classpath(), options, args, cloud.environment(candidate.logicalId()), 120);
    }

    /** Classes loaded up to the first response: all of them, and those from the function's jar. */
    private int[] countClasses(Candidate candidate) {
        Path log = workspace.temp().resolve("classes-" + Math.abs(candidate.name().hashCode()) + ".log");
        try {
            Files.deleteIfExists(log);
            ChildJvm.Result result = launch(candidate, List.of("-Xlog:class+load=info:file=" + log));
            if (!result.completed()) {
                out.println("  class count run of " + candidate.name() + " FAILED: " + tail(result.stderr()));
            }
            int all = 0;
            int fromJars = 0;
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.contains(" source: ")) {
                    all++;
                    if (line.contains("source: file:") || line.contains("source: jar:")) {
                        fromJars++;
                    }
                }
            }
            return new int[] {all, fromJars};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String command(Candidate candidate) {
        return String.join(" ", jvm.command(candidate.classpath(), List.of("-Xmx870m"),
                List.of(candidate.handler(), "<event>", candidate.priming() == null ? "-" : candidate.priming())));
    }

    boolean pinned() {
        return jvm.pinned();
    }

    private static void add(Map<String, List<Double>> samples, String metric, Double value) {
        if (value != null) {
            samples.computeIfAbsent(metric, key -> new ArrayList<>()).add(value);
        }
    }

    private static boolean hasClass(Path jar, String entry) {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(entry) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path path) {
        try {
            if (Files.isDirectory(path)) {
                try (var files = Files.walk(path)) {
                    return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                }
            }
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    static String tail(String text) {
        String trimmed = text == null ? "" : text.strip();
        return trimmed.length() <= 1500 ? trimmed : "..." + trimmed.substring(trimmed.length() - 1500);
    }
}
