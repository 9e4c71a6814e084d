package dev.longhaul.local.iam;

import dev.longhaul.emulators.Stack;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The local cloud's IAM: every AWS call a function makes is checked against the function's
 * execution role as a deploy of the template creates it ({@link ExecutionRoles}). A denied call is
 * refused the way AWS refuses it (the function's interceptor throws the service's exception, before
 * anything is sent), and the local cloud's log names the function, the action, the resource and the
 * role. A read of a missing S3 key by a role that may not list the bucket is answered 403, not 404.
 */
public final class IamEnforcer {

    private final Map<String, ExecutionRole> roles;
    private final ResourceArns arns;
    private final IamRecorder recorder;
    private final PrintStream log;
    private final List<String> notes;

    private IamEnforcer(Map<String, ExecutionRole> roles, ResourceArns arns, IamRecorder recorder, PrintStream log,
                        List<String> notes) {
        this.roles = roles;
        this.arns = arns;
        this.recorder = recorder;
        this.log = log;
        this.notes = List.copyOf(notes);
    }

    /**
     * The roles of {@code stack}'s functions.
     *
     * @param recorder where every decision is recorded too; null for none
     */
    public static IamEnforcer create(Stack stack, IamRecorder recorder, PrintStream log) {
        ResourceArns arns = ResourceArns.of(stack);
        ExecutionRoles.Expansion expansion = ExecutionRoles.expand(stack, arns);
        List<String> notes = new ArrayList<>(expansion.notes());
        for (ExecutionRole role : expansion.roles().values()) {
            for (Statement statement : role.statements()) {
                Set<String> unknown = new LinkedHashSet<>();
                statement.conditions().forEach((operator, keys) -> keys.keySet().forEach(key -> {
                    String service = statement.actions().isEmpty() ? "" : statement.actions().get(0).split(":")[0];
                    boolean known = AwsCalls.GLOBAL_KEYS.stream().anyMatch(key::equalsIgnoreCase)
                            || AwsCalls.KNOWN_KEYS.getOrDefault(service, List.of()).stream().anyMatch(key::equalsIgnoreCase);
                    if (!known) {
                        unknown.add(key);
                    }
                }));
                if (!unknown.isEmpty()) {
                    notes.add(role.functionId() + ": " + statement.where() + " has conditions on " + unknown
                            + ", which the local cloud does not evaluate: an Allow there never applies locally,"
                            + " a Deny always does");
                }
            }
        }
        return new IamEnforcer(expansion.roles(), arns, recorder, log, notes);
    }

    public Map<String, ExecutionRole> roles() {
        return roles;
    }

    public ResourceArns arns() {
        return arns;
    }

    /** What the roles hold that cannot be honoured exactly locally. */
    public List<String> notes() {
        return notes;
    }

    /**
     * What the function's interceptor asks: a call described in JDK types in, null (allowed) or the
     * refusal ({@code status}, {@code code}, {@code message}) out.
     */
    public Function<Map<String, String>, Map<String, String>> guard(String functionId) {
        ExecutionRole role = roles.get(functionId);
        if (role == null) {
            throw new IllegalArgumentException("No role for function " + functionId);
        }
        return call -> decide(role, call);
    }

    Map<String, String> decide(ExecutionRole role, Map<String, String> call) {
        String phase = call.getOrDefault("@phase", "call");
        List<AwsCalls.Access> accesses = phase.equals("missing") ? List.of(AwsCalls.missingObject(call))
                : AwsCalls.accesses(call, arns);
        Map<String, String> global = globalContext(role);
        Map<String, String> refusal = null;
        for (AwsCalls.Access access : accesses) {
            PolicyEvaluator.Decision decision = PolicyEvaluator.evaluate(role, access, global);
            String resource = access.resource() == null ? "(resource not determined locally)" : access.resource();
            String reason = reason(decision);
            if (recorder != null) {
                List<IamRecorder.Grant> used = decision.allowedBy().stream()
                        .map(match -> IamRecorder.grant(role.functionId(), match.statement(), match.actionPattern(),
                                match.resourcePattern(), arns))
                        .toList();
                recorder.record(new IamRecorder.Check(role.functionId(), role.roleArn(), access.action(),
                        arns.describe(resource), phase, decision.allowed(), reason, used));
            }
            if (decision.allowed()) {
                continue;
            }
            log.println(denialLine(role, call, access, resource, reason, phase));
            if (refusal == null) {
                refusal = refusal(role, call, access, resource, decision, phase);
            }
        }
        return refusal;
    }

    private String denialLine(ExecutionRole role, Map<String, String> call, AwsCalls.Access access, String resource,
                              String reason, String phase) {
        String what = switch (phase) {
            case "missing" -> "read a missing key of " + call.get("Bucket") + " (" + call.get("Key") + ") without "
                    + access.action() + " on " + resource + ": S3 answers 403 AccessDenied, not 404";
            case "presign" -> "presigned " + access.action() + " on " + resource
                    + ": S3 would refuse the URL (403) when it is used";
            default -> "denied " + access.action() + " on " + resource + " (" + call.get("@service") + "."
                    + call.get("@operation") + ")";
        };
        return "IAM: " + role.functionId() + " " + what + "; role " + role.roleArn() + ": " + reason;
    }

    private static String reason(PolicyEvaluator.Decision decision) {
        String unknown = decision.unknownKeys().isEmpty() ? ""
                : " (conditions on " + decision.unknownKeys() + " are not evaluated locally and fail closed)";
        return switch (decision.outcome()) {
            case ALLOWED -> "allowed by " + decision.allowedBy().get(0).statement().where();
            case EXPLICIT_DENY -> "explicitly denied by " + decision.deniedBy().where() + unknown;
            case IMPLICIT_DENY -> "no statement of the role allows it" + unknown;
        };
    }

    /** How AWS answers: the status, the error code its SDK reads and the message it sends. */
    private static Map<String, String> refusal(ExecutionRole role, Map<String, String> call, AwsCalls.Access access,
                                               String resource, PolicyEvaluator.Decision decision, String phase) {
        String service = AwsCalls.service(call);
        String operation = call.get("@operation");
        String why = decision.outcome() == PolicyEvaluator.Outcome.EXPLICIT_DENY
                ? "with an explicit deny in an identity-based policy"
                : "because no identity-based policy allows the " + access.action() + " action";
        String message = "User: " + role.principalArn() + " is not authorized to perform: " + access.action()
                + " on resource: " + resource + " " + why;
        Map<String, String> refusal = new LinkedHashMap<>();
        switch (service) {
            case "s3" -> {
                refusal.put("status", "403");
                if (operation.startsWith("Head")) {
                    // a HEAD answer has no body: the SDK reads no code and the status line's text
                    refusal.put("message", "Forbidden");
                } else {
                    refusal.put("code", "AccessDenied");
                    refusal.put("message", phase.equals("missing") ? "Access Denied" : "User: " + role.principalArn()
                            + " is not authorized to perform: " + access.action() + " on resource: \"" + resource
                            + "\" " + why);
                }
            }
            case "sqs" -> {
                // SQS's JSON protocol keeps its query-protocol error code (x-amzn-query-error), which the SDK reads
                refusal.put("status", "403");
                refusal.put("code", "AccessDenied");
                refusal.put("message", message);
            }
            default -> {
                refusal.put("status", "400");
                refusal.put("code", "AccessDeniedException");
                refusal.put("message", message);
            }
        }
        return refusal;
    }

    private Map<String, String> globalContext(ExecutionRole role) {
        Instant now = Instant.now();
        Map<String, String> context = new LinkedHashMap<>();
        context.put("aws:SecureTransport", "true");
        context.put("aws:RequestedRegion", arns.region());
        context.put("aws:PrincipalArn", role.roleArn());
        context.put("aws:PrincipalAccount", arns.account());
        context.put("aws:PrincipalType", "AssumedRole");
        context.put("aws:CurrentTime", now.toString());
        context.put("aws:EpochTime", Long.toString(now.getEpochSecond()));
        return context;
    }
}
