package dev.longhaul.local;

import dev.longhaul.emulators.Intrinsic;
import dev.longhaul.emulators.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules AWS applies to a template when it is deployed, which the emulators never check: the
 * local cloud refuses to start a template that would not deploy (each violation names the
 * resource and the rule), and passes on AWS's recommendations as warnings.
 *
 * <p>Values are read as written, or from a parameter's value; a value computed some other way is
 * not checked (CloudFormation would check it on deploy).
 */
final class DeployRules {

    /** What a deploy would refuse, and what AWS recommends. */
    record Findings(List<String> violations, List<String> recommendations) {
        Findings {
            violations = List.copyOf(violations);
            recommendations = List.copyOf(recommendations);
        }
    }

    private static final String QUEUE = "AWS::SQS::Queue";
    private static final String ALARM = "AWS::CloudWatch::Alarm";
    /** SQS's default visibility timeout; Lambda's default function timeout. */
    private static final long DEFAULT_VISIBILITY = 30;
    private static final long DEFAULT_TIMEOUT = 3;

    private final SamTemplate template;
    private final Map<String, String> parameters;
    private final List<String> violations = new ArrayList<>();
    private final List<String> recommendations = new ArrayList<>();

    private DeployRules(SamTemplate template, Map<String, String> parameters) {
        this.template = template;
        this.parameters = parameters;
    }

    /** @param parameters every parameter's value for this deployment (defaults and overrides) */
    static Findings check(SamTemplate template, Map<String, String> parameters) {
        DeployRules rules = new DeployRules(template, parameters);
        for (SamTemplate.Resource resource : template.resources().values()) {
            if (resource.type().equals(SamTemplate.SERVERLESS_FUNCTION)) {
                rules.function(resource.logicalId());
            } else if (resource.type().equals(ALARM)) {
                rules.alarm(resource);
            }
        }
        return new Findings(rules.violations, rules.recommendations);
    }

    private void function(String id) {
        Map<String, Object> properties = template.functionProperties(id);
        Long timeout = number(properties.get("Timeout"));
        range(id + ": Timeout", timeout, 1, 900, "a Lambda function runs 1 to 900 seconds");
        range(id + ": MemorySize", number(properties.get("MemorySize")), 128, 10_240, "Lambda memory is 128 to 10,240 MB");
        Object applyOn = value(Deployment.path(properties, "SnapStart", "ApplyOn"));
        if ("PublishedVersions".equals(applyOn) && properties.get("AutoPublishAlias") == null) {
            violations.add(id + ": SnapStart applies to published versions only, and without AutoPublishAlias"
                    + " none is published: its events would invoke $LATEST, which is never snapshotted");
        }
        long seconds = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (properties.get("Events") instanceof Map<?, ?> events) {
            events.forEach((name, definition) -> {
                Map<String, Object> event = Deployment.asMap(definition);
                String type = String.valueOf(event.get("Type"));
                Map<String, Object> eventProperties = Deployment.asMap(event.get("Properties"));
                String where = id + ".Events." + name + " (" + type + ")";
                switch (type) {
                    case "SQS" -> sqs(where, id, seconds, eventProperties);
                    case "DynamoDB", "Kinesis" -> stream(where, type, eventProperties);
                    default -> {
                        // other event sources have no mapping rules checked here
                    }
                }
            });
        }
    }

    private void sqs(String where, String function, long timeout, Map<String, Object> properties) {
        String queueId = resourceOf(properties.get("Queue"), QUEUE);
        Map<String, Object> queue = queueId == null ? Map.of() : template.resource(queueId).properties();
        boolean fifo = "true".equals(String.valueOf(value(queue.get("FifoQueue"))));
        Long batchSize = number(properties.get("BatchSize"));
        Long window = number(properties.get("MaximumBatchingWindowInSeconds"));
        if (fifo) {
            range(where + ": BatchSize", batchSize, 1, 10, "a FIFO queue's batches hold 1 to 10 messages");
            if (window != null && window > 0) {
                violations.add(where + ": MaximumBatchingWindowInSeconds " + window
                        + " (Lambda rule: a FIFO queue takes no batching window)");
            }
        } else {
            range(where + ": BatchSize", batchSize, 1, 10_000, "a standard queue's batches hold 1 to 10,000 messages");
            range(where + ": MaximumBatchingWindowInSeconds", window, 0, 300, "the batching window is 0 to 300 s");
            if (batchSize != null && batchSize > 10 && (window == null || window < 1)) {
                violations.add(where + ": BatchSize " + batchSize + " without MaximumBatchingWindowInSeconds"
                        + " (Lambda rule: a batch over 10 messages needs a batching window of at least 1 s)");
            }
        }
        range(where + ": ScalingConfig.MaximumConcurrency", number(Deployment.path(properties, "ScalingConfig", "MaximumConcurrency")),
                2, 1000, "an SQS event source's maximum concurrency is 2 to 1,000");
        if (queueId == null) {
            return;
        }
        Long written = number(queue.get("VisibilityTimeout"));
        if (written == null && queue.get("VisibilityTimeout") != null) {
            return; // computed: not checked here
        }
        long visibility = written == null ? DEFAULT_VISIBILITY : written;
        String visibilityText = visibility + " s" + (written == null ? ", the SQS default" : "");
        if (visibility < timeout) {
            violations.add(where + ": queue " + queueId + " has VisibilityTimeout " + visibilityText + ", shorter than "
                    + function + "'s Timeout " + timeout + " s (Lambda rule: an SQS event source's queue must"
                    + " keep a message hidden at least as long as the function may run)");
            return;
        }
        long recommended = 6 * timeout + (window == null ? 0 : window);
        if (visibility < recommended) {
            recommendations.add("AWS recommends: queue " + queueId + "'s VisibilityTimeout (" + visibilityText
                    + ") at least six times " + function + "'s Timeout plus its batching window (" + recommended
                    + " s), so a batch retried after a throttle is not delivered twice");
        }
    }

    private void stream(String where, String type, Map<String, Object> properties) {
        range(where + ": BatchSize", number(properties.get("BatchSize")), 1, 10_000, "a stream batch holds 1 to 10,000 records");
        range(where + ": MaximumBatchingWindowInSeconds", number(properties.get("MaximumBatchingWindowInSeconds")), 0, 300,
                "the batching window is 0 to 300 s");
        range(where + ": MaximumRetryAttempts", number(properties.get("MaximumRetryAttempts")), -1, 10_000,
                "retries are -1 (until the record expires) to 10,000");
        range(where + ": ParallelizationFactor", number(properties.get("ParallelizationFactor")), 1, 10,
                "a shard is processed by 1 to 10 batches at once");
        range(where + ": TumblingWindowInSeconds", number(properties.get("TumblingWindowInSeconds")), 0, 900,
                "a tumbling window is 0 to 900 s");
        Long age = number(properties.get("MaximumRecordAgeInSeconds"));
        if (age != null && age != -1 && (age < 60 || age > 604_800)) {
            violations.add(where + ": MaximumRecordAgeInSeconds " + age
                    + " (Lambda rule: -1, or 60 to 604,800 s)");
        }
        Object start = value(properties.get("StartingPosition"));
        List<String> positions = type.equals("Kinesis") ? List.of("TRIM_HORIZON", "LATEST", "AT_TIMESTAMP")
                : List.of("TRIM_HORIZON", "LATEST");
        if (properties.get("StartingPosition") == null || (start != null && !positions.contains(String.valueOf(start)))) {
            violations.add(where + ": StartingPosition " + (start == null ? "missing" : start)
                    + " (Lambda rule: a stream event source starts at one of " + positions + ")");
        }
        Object destination = Deployment.path(properties, "DestinationConfig", "OnFailure", "Destination");
        if (destination == null) {
            recommendations.add("AWS recommends: an OnFailure destination (DestinationConfig) for " + where
                    + ", or the records it gives up on are dropped without a trace");
            return;
        }
        String queueId = resourceOf(destination, QUEUE);
        if (queueId != null && "true".equals(String.valueOf(value(template.resource(queueId).properties().get("FifoQueue"))))) {
            violations.add(where + ": OnFailure destination " + queueId
                    + " is a FIFO queue (Lambda rule: a stream's failure destination is a standard queue or topic)");
        }
    }

    private void alarm(SamTemplate.Resource alarm) {
        Object actions = alarm.properties().get("AlarmActions");
        if (actions == null || (actions instanceof List<?> list && list.isEmpty())) {
            recommendations.add("AWS recommends: alarm actions on " + alarm.logicalId()
                    + ", which notifies no one when it fires (no AlarmActions)");
        }
    }

    private void range(String what, Long value, long min, long max, String rule) {
        if (value != null && (value < min || value > max)) {
            violations.add(what + " " + value + " (Lambda rule: " + rule + ")");
        }
    }

    /** The logical id of a template resource of {@code type} that {@code reference} points at. */
    private String resourceOf(Object reference, String type) {
        String id = null;
        if (reference instanceof Intrinsic.GetAtt getAtt) {
            id = getAtt.resource();
        } else if (reference instanceof Intrinsic.Ref ref) {
            id = ref.name();
        }
        return id != null && template.resources().containsKey(id) && template.resource(id).type().equals(type)
                ? id : null;
    }

    /** A value as written, or the value of the parameter it refers to; null when computed otherwise. */
    private Object value(Object written) {
        if (written instanceof Intrinsic.Ref ref) {
            return parameters.get(ref.name());
        }
        return written instanceof Intrinsic || written instanceof Map<?, ?> || written instanceof List<?> ? null : written;
    }

    private Long number(Object written) {
        Object value = value(written);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
