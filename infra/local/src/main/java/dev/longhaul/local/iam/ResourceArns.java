package dev.longhaul.local.iam;

import dev.longhaul.emulators.Stack;
import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The ARNs IAM evaluates, in one form for both sides of a check: the resources a call names (a
 * table by its name, a queue by its URL, a bucket and a key) and the {@code Resource} entries of a
 * role's policies. Both use the stack's region and account ({@code arn:aws:dynamodb:us-east-1:
 * 000000000000:table/...}), as a policy template's {@code ${AWS::Region}} and {@code
 * ${AWS::AccountId}} do; an ARN a backend gave differently (DynamoDB Local names its region
 * {@code ddblocal}, moto its account 123456789012) is rewritten to that form.
 */
public final class ResourceArns {

    private static final String TABLE = "AWS::DynamoDB::Table";
    private static final String QUEUE = "AWS::SQS::Queue";
    private static final String BUCKET = "AWS::S3::Bucket";

    private final String region;
    private final String account;
    /** Backend ARN prefix to the canonical one, longest first. */
    private final Map<String, String> aliases;
    private final Map<String, String> queuesByUrl;
    /** Canonical ARN of each provisioned resource to its logical id, longest first (for reports). */
    private final Map<String, String> labels;

    ResourceArns(String region, String account, Map<String, String> aliases, Map<String, String> queuesByUrl,
                 Map<String, String> labels) {
        this.region = region;
        this.account = account;
        this.aliases = longestFirst(aliases);
        this.queuesByUrl = Map.copyOf(queuesByUrl);
        this.labels = longestFirst(labels);
    }

    /** The ARNs of the tables, queues and buckets {@code stack} provisioned. */
    public static ResourceArns of(Stack stack) {
        String region = stack.region();
        String account = Stack.ACCOUNT_ID;
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, String> queues = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (String id : stack.provisionedResources()) {
            String type = stack.template().resource(id).type();
            switch (type) {
                case TABLE -> {
                    String canonical = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + stack.physicalId(id);
                    aliases.put(stack.attribute(id, "Arn"), canonical);
                    try {
                        String stream = stack.attribute(id, "StreamArn");
                        int label = stream.indexOf("/stream/");
                        aliases.put(stream, canonical + (label < 0 ? "" : stream.substring(label)));
                    } catch (NoSuchElementException e) {
                        // a table without a stream
                    }
                    labels.put(canonical, id);
                }
                case QUEUE -> {
                    String canonical = "arn:aws:sqs:" + region + ":" + account + ":" + stack.attribute(id, "QueueName");
                    aliases.put(stack.attribute(id, "Arn"), canonical);
                    queues.put(stack.physicalId(id), canonical);
                    labels.put(canonical, id);
                }
                case BUCKET -> labels.put("arn:aws:s3:::" + stack.physicalId(id), id);
                default -> {
                    // not provisioned locally, so never called either
                }
            }
        }
        return new ResourceArns(region, account, aliases, queues, labels);
    }

    String region() {
        return region;
    }

    String account() {
        return account;
    }

    /** A policy's resource entry in the canonical form (entries that name no provisioned resource unchanged). */
    String canonical(String arn) {
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            String from = alias.getKey();
            if (arn.equals(from) || arn.startsWith(from + "/")) {
                return alias.getValue() + arn.substring(from.length());
            }
        }
        return arn;
    }

    String table(String tableNameOrArn) {
        return tableNameOrArn.startsWith("arn:") ? canonical(tableNameOrArn)
                : "arn:aws:dynamodb:" + region + ":" + account + ":table/" + tableNameOrArn;
    }

    /** A queue's ARN from its URL: the one provisioned at that URL, else the URL's last path segment as its name. */
    String queueByUrl(String url) {
        String known = queuesByUrl.get(url);
        if (known != null) {
            return known;
        }
        String path = URI.create(url).getPath();
        return queueByName(path.substring(path.lastIndexOf('/') + 1));
    }

    String queueByName(String name) {
        return "arn:aws:sqs:" + region + ":" + account + ":" + name;
    }

    static String bucket(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    static String object(String bucket, String key) {
        return "arn:aws:s3:::" + bucket + "/" + key;
    }

    String role(String roleName) {
        return "arn:aws:iam::" + account + ":role/" + roleName;
    }

    String assumedRole(String roleName, String session) {
        return "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session;
    }

    /**
     * An ARN or pattern as a reader of the template knows it: a provisioned resource's ARN by its
     * logical id ({@code TasksTable/index/ByOwner}, {@code ResultsBucket/results/*}), so reports
     * read the same whatever the stack's name.
     */
    public String describe(String arn) {
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String prefix = label.getKey();
            if (arn.equals(prefix) || arn.startsWith(prefix + "/")) {
                return label.getValue() + arn.substring(prefix.length());
            }
        }
        return arn;
    }

    private static Map<String, String> longestFirst(Map<String, String> byPrefix) {
        Map<String, String> sorted = new LinkedHashMap<>();
        List<String> keys = byPrefix.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
        keys.forEach(key -> sorted.put(key, byPrefix.get(key)));
        return sorted;
    }
}
