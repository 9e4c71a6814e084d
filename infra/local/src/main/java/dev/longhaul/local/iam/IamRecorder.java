package dev.longhaul.local.iam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every access the local cloud's IAM check decided, for the conformance test: function x action x
 * resource, allowed or denied, and which grants of the role allowed it. Several clouds may share
 * one recorder; resources are named by logical id ({@link ResourceArns#describe}), so the records
 * of stacks with different names add up.
 */
public final class IamRecorder {

    /**
     * One grant of a role: one {@code Action} entry of a statement on one of its {@code Resource}
     * entries (conditions belong to the statement).
     */
    public record Grant(String functionId, String action, String resource, String statement, boolean platform) {
    }

    /** One access as checked. {@code phase}: a call, a presigned request, or S3's check before answering 404. */
    public record Check(String functionId, String roleArn, String action, String resource, String phase,
                        boolean allowed, String reason, List<Grant> usedGrants) {
        public Check {
            usedGrants = List.copyOf(usedGrants);
        }

        @Override
        public String toString() {
            return functionId + " " + action + " on " + resource + (phase.equals("call") ? "" : " (" + phase + ")")
                    + (allowed ? " allowed" : " DENIED: " + reason);
        }
    }

    private final List<Check> checks = new ArrayList<>();

    public synchronized void record(Check check) {
        checks.add(check);
    }

    public synchronized List<Check> checks() {
        return List.copyOf(checks);
    }

    public List<Check> denials() {
        return checks().stream().filter(check -> !check.allowed()).toList();
    }

    /** The grants some recorded access used. */
    public Set<Grant> used() {
        Set<Grant> used = new LinkedHashSet<>();
        checks().forEach(check -> used.addAll(check.usedGrants()));
        return used;
    }

    /** Every grant of the roles, in role and statement order. */
    public static List<Grant> grants(Collection<ExecutionRole> roles, ResourceArns arns) {
        List<Grant> grants = new ArrayList<>();
        for (ExecutionRole role : roles) {
            for (Statement statement : role.statements()) {
                if (!statement.allow()) {
                    continue;
                }
                List<String> actions = statement.notAction() ? List.of("NotAction " + statement.actions()) : statement.actions();
                List<String> resources = statement.notResource() ? List.of("NotResource " + statement.resources())
                        : statement.resources();
                for (String action : actions) {
                    for (String resource : resources) {
                        grants.add(grant(role.functionId(), statement, action, resource, arns));
                    }
                }
            }
        }
        return grants;
    }

    static Grant grant(String functionId, Statement statement, String action, String resource, ResourceArns arns) {
        return new Grant(functionId, action, arns.describe(resource), statement.where(), statement.platform());
    }

    /** The grants of {@code universe} no recorded access used, sorted by function, action and resource. */
    public List<Grant> unused(List<Grant> universe) {
        Set<Grant> used = used();
        return universe.stream().filter(grant -> !used.contains(grant))
                .sorted(Comparator.comparing(Grant::functionId).thenComparing(Grant::action).thenComparing(Grant::resource))
                .toList();
    }
}
