package dev.longhaul.local.iam;

import dev.longhaul.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS managed policies SAM attaches to a function's role by itself, by name and ARN, with their
 * documents ({@code aws-managed-policies.json} beside this class).
 */
final class ManagedPolicies {

    private static final ManagedPolicies BUNDLED = load();

    private final Map<String, String> arns;
    private final Map<String, Object> documents;

    private ManagedPolicies(Map<String, String> arns, Map<String, Object> documents) {
        this.arns = arns;
        this.documents = documents;
    }

    static ManagedPolicies bundled() {
        return BUNDLED;
    }

    /**
     * The ARN SAM writes for a managed policy named in {@code Policies}: the bundled ones by name, an
     * ARN as it is, any other name as an AWS managed policy at the root path (where most are; SAM's
     * own map also knows the few under service-role/ that are not bundled here).
     */
    String arn(String nameOrArn) {
        if (arns.containsKey(nameOrArn)) {
            return arns.get(nameOrArn);
        }
        return nameOrArn.startsWith("arn:") ? nameOrArn : "arn:aws:iam::aws:policy/" + nameOrArn;
    }

    /** The document of the managed policy with this ARN, if it is one of the bundled ones. */
    Optional<Object> document(String arn) {
        return Optional.ofNullable(documents.get(arn));
    }

    private static ManagedPolicies load() {
        Map<String, Object> root = Json.parseObject(SamPolicyTemplates.resource("aws-managed-policies.json"));
        Map<String, String> arns = new LinkedHashMap<>();
        Map<String, Object> documents = new LinkedHashMap<>();
        SamPolicyTemplates.asMap(root.get("Policies")).forEach((name, policy) -> {
            Map<String, Object> fields = SamPolicyTemplates.asMap(policy);
            String arn = String.valueOf(fields.get("Arn"));
            arns.put(name, arn);
            documents.put(arn, fields.get("Document"));
        });
        return new ManagedPolicies(arns, documents);
    }
}
