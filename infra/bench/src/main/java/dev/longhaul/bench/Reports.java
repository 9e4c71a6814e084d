package dev.longhaul.bench;

import java.util.List;
import java.util.Locale;

/** Markdown renderings of the results. */
final class Reports {
    private Reports() {
    }

    static String coldStart(List<ColdStart.Summary> summaries, ColdStart coldStart, int runs) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "### Cold start (median of %d interleaved runs, ms since launch)%n%n", runs));
        md.append(String.format(Locale.ROOT, "JDK %s (%s), %d cores; child JVM flags %s%s%n%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), String.join(" ", ChildJvm.LAMBDA_FLAGS),
                coldStart.pinned() ? ", taskset -c 0, -Xmx870m" : ", -Xmx870m (taskset not found: not pinned)"));
        md.append("| candidate | jar | classes loaded (from jars) | JVM boot | init (launch → constructed) | priming | first invoke | launch → first response | failed runs |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ColdStart.Summary s : summaries) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f MB | %d (%d) | %.0f | %.0f | %s | %.0f | %.0f | %d |%n",
                    s.candidate().name(), s.jarBytes() / 1e6, s.classes(), s.classesFromJars(),
                    s.median("boot"), s.median("init"),
                    Double.isNaN(s.median("priming")) ? "–" : String.format(Locale.ROOT, "%.0f", s.median("priming")),
                    s.median("firstInvoke"), s.median("launchToResponse"), s.failures()));
        }
        md.append("\nRatios (median launch → first response; init in brackets):\n\n");
        md.append("| function | ÷ SDK-defaults baseline | ÷ floor |\n|---|---:|---:|\n");
        // the API and the worker have an SDK-defaults twin; the other functions are compared with the floor only
        for (String function : List.of("api", "worker", "sweeper", "dead letter", "result clean-up", "notifier",
                "webhook delivery")) {
            ColdStart.Summary floor = find(summaries, "floor (constant handler)");
            ColdStart.Summary defaults = find(summaries, function + ", SDK defaults");
            for (ColdStart.Summary s : summaries) {
                String name = s.candidate().name();
                if (!name.equals(function) && !name.equals(function + ", primed (restore)")) {
                    continue;
                }
                String toDefaults = defaults == null ? "–" : String.format(Locale.ROOT, "%.2f (%.2f)",
                        ratio(s, defaults, "launchToResponse"), ratio(s, defaults, "init"));
                md.append(String.format(Locale.ROOT, "| %s | %s | %.2f (%.2f) |%n", name, toDefaults,
                        ratio(s, floor, "launchToResponse"), ratio(s, floor, "init")));
            }
        }
        md.append("\nFirst invoke after priming (restore simulated: hooks called in the child, then the measured invoke):\n\n");
        for (ColdStart.Summary s : summaries) {
            if (s.candidate().priming() != null) {
                md.append(String.format(Locale.ROOT, "- %s: first invoke %.0f ms (min %.0f, max %.0f)%n",
                        s.candidate().name(), s.median("firstInvoke"),
                        Stats.min(s.samples().get("firstInvoke")), Stats.max(s.samples().get("firstInvoke"))));
            }
        }
        md.append("\nCommands (event: `events/api-create-task.json` for the API, `events/sqs-task-batch.json` for the worker, "
                + "its task written first to DynamoDB as queued):\n\n");
        for (ColdStart.Summary s : summaries) {
            md.append("- ").append(s.candidate().name()).append(": `")
                    .append(coldStart.command(s.candidate())).append("`\n");
        }
        return md.toString();
    }

    private static ColdStart.Summary find(List<ColdStart.Summary> summaries, String name) {
        return summaries.stream().filter(s -> s.candidate().name().equals(name)).findFirst().orElse(null);
    }

    private static double ratio(ColdStart.Summary s, ColdStart.Summary to, String metric) {
        return to == null ? Double.NaN : s.median(metric) / to.median(metric);
    }
}
