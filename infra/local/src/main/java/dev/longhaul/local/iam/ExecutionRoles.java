package dev.longhaul.local.iam;

import dev.longhaul.emulators.Intrinsic;
import dev.longhaul.emulators.SamTemplate;
import dev.longhaul.emulators.Stack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The execution role of each {@code AWS::Serverless::Function}, expanded as the SAM transform
 * (aws-sam-translator) writes it, then evaluated against a provisioned {@link Stack}.
 *
 * <p>For a function without {@code Role}, SAM generates {@code <Function>Role} with, in this order:
 * the managed policy {@code AWSLambdaBasicExecutionRole} (plus X-Ray with {@code Tracing}, VPC
 * access with {@code VpcConfig}); a policy for the {@code DeadLetterQueue}; one inline policy per
 * {@code Policies} entry (a policy document as written, a policy template expanded by
 * {@link SamPolicyTemplates}, a managed policy by name, ARN or intrinsic, any of them under
 * {@code Fn::If}); then, for each pull event, the event source's managed execution policy
 * ({@code AWSLambdaSQSQueueExecutionRole}, {@code AWSLambdaDynamoDBExecutionRole}...) and a policy
 * to send to its {@code OnFailure} destination. With {@code Role}, the role is the template's
 * {@code AWS::IAM::Role} it names, with its inline and managed policies and the
 * {@code AWS::IAM::Policy} and {@code AWS::IAM::ManagedPolicy} resources attached to it.
 */
public final class ExecutionRoles {

    private static final Map<String, String> PULL_EVENT_POLICIES = Map.of(
            "SQS", "AWSLambdaSQSQueueExecutionRole",
            "DynamoDB", "AWSLambdaDynamoDBExecutionRole",
            "Kinesis", "AWSLambdaKinesisExecutionRole",
            "MSK", "AWSLambdaMSKExecutionRole",
            "MQ", "AWSLambdaMQExecutionRole",
            "SelfManagedKafka", "AWSLambdaMSKExecutionRole");
    private static final String IAM_ROLE = "AWS::IAM::Role";

    private ExecutionRoles() {
    }

    /** One inline policy of a role, as SAM writes its {@code PolicyDocument}. */
    public record RolePolicy(Object document, String source, boolean platform) {
    }

    /** One managed policy of a role, as SAM writes its ARN (a name SAM knows already turned into one). */
    public record ManagedArn(Object arn, String source, boolean platform) {
    }

    /**
     * A role as the transformed template holds it, intrinsics unevaluated.
     *
     * @param roleName null for the role SAM generates (named after the stack and function)
     * @param notes    what SAM would refuse or the local cloud cannot honour
     */
    public record SamRole(String functionId, String roleName, List<RolePolicy> policies, List<ManagedArn> managedPolicies,
                          List<String> notes) {
    }

    /** Every function's evaluated role, and what could not be honoured. */
    public record Expansion(Map<String, ExecutionRole> roles, List<String> notes) {
        public Expansion {
            roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
            notes = List.copyOf(notes);
        }
    }

    /** The roles of every serverless function of {@code stack}'s template. */
    public static Expansion expand(Stack stack, ResourceArns arns) {
        Map<String, ExecutionRole> roles = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        SamTemplate template = stack.template();
        for (SamTemplate.Resource resource : template.resources().values()) {
            if (resource.type().equals(SamTemplate.SERVERLESS_FUNCTION)) {
                roles.put(resource.logicalId(), evaluate(samRole(template, resource.logicalId()), stack, arns, notes));
            }
        }
        return new Expansion(roles, notes);
    }

    /** The function's role as SAM writes it into the transformed template. */
    public static SamRole samRole(SamTemplate template, String functionId) {
        Map<String, Object> properties = template.functionProperties(functionId);
        List<RolePolicy> policies = new ArrayList<>();
        List<ManagedArn> managed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        ManagedPolicies known = ManagedPolicies.bundled();
        Object role = properties.get("Role");
        if (role != null) {
            String roleId = roleLogicalId(role, template);
            if (properties.get("Policies") != null) {
                notes.add(functionId + ": Policies are ignored because Role is set (SAM attaches them to no role)");
            }
            if (roleId == null) {
                notes.add(functionId + ": Role " + role + " is not an AWS::IAM::Role of the template: its policies"
                        + " are unknown locally, so every AWS call of the function is refused");
                return new SamRole(functionId, String.valueOf(role), policies, managed, notes);
            }
            templateRole(template, roleId, policies, managed);
            Object roleName = template.resource(roleId).properties().get("RoleName");
            return new SamRole(functionId, roleName instanceof String name ? name : roleId, policies, managed, notes);
        }

        managed.add(new ManagedArn(known.arn(properties.get("DurableConfig") != null
                ? "AWSLambdaBasicDurableExecutionRolePolicy" : "AWSLambdaBasicExecutionRole"),
                "AWSLambdaBasicExecutionRole (SAM, every function: logs)", true));
        Object tracing = properties.get("Tracing");
        if (tracing != null && !"Disabled".equals(tracing)) {
            managed.add(new ManagedArn(known.arn("AWSXrayWriteOnlyAccess"), "AWSXrayWriteOnlyAccess (SAM, Tracing)", true));
        }
        if (properties.get("VpcConfig") != null) {
            managed.add(new ManagedArn(known.arn("AWSLambdaVPCAccessExecutionRole"),
                    "AWSLambdaVPCAccessExecutionRole (SAM, VpcConfig)", true));
        }
        if (properties.get("DeadLetterQueue") instanceof Map<?, ?> queue) {
            String action = "SQS".equals(queue.get("Type")) ? "sqs:SendMessage" : "sns:Publish";
            policies.add(new RolePolicy(document(action, queue.get("TargetArn"), true),
                    "DeadLetterQueue (SAM, asynchronous invocation)", true));
        }
        if (properties.get("EventInvokeConfig") != null) {
            notes.add(functionId + ": EventInvokeConfig destinations are asynchronous invocation, not emulated; their"
                    + " grants are not added to the role locally");
        }
        Object given = properties.get("Policies");
        List<?> entries = given == null ? List.of() : given instanceof List<?> list ? list : List.of(given);
        for (int i = 0; i < entries.size(); i++) {
            policyEntry(functionId, i, entries.get(i), policies, managed, notes, known);
        }
        if (properties.get("Events") instanceof Map<?, ?> events) {
            // in SAM's order (SamFunction.order_events): by Properties.Path where there is one, else by name
            events.entrySet().stream()
                    .sorted(java.util.Comparator.comparing((Map.Entry<?, ?> event) -> eventOrder(event)))
                    .forEach(event -> eventPolicies(functionId, String.valueOf(event.getKey()), event.getValue(),
                            policies, managed, known));
        }
        return new SamRole(functionId, null, policies, managed, notes);
    }

    private static void policyEntry(String functionId, int index, Object entry, List<RolePolicy> policies,
                                    List<ManagedArn> managed, List<String> notes, ManagedPolicies known) {
        String source = "Policies[" + index + "]";
        SamPolicyTemplates templates = SamPolicyTemplates.bundled();
        try {
            switch (type(entry, templates)) {
                case MANAGED -> {
                    Object arn = entry instanceof String name ? known.arn(name)
                            : mapIf(entry, branch -> branch instanceof String name ? known.arn(name) : branch);
                    // SAM lists an ARN once, even one it adds itself such as AWSLambdaBasicExecutionRole
                    if (managed.stream().noneMatch(existing -> existing.arn().equals(arn))) {
                        managed.add(new ManagedArn(arn, source + " (managed policy " + managedName(entry) + ")", false));
                    }
                }
                case STATEMENT -> policies.add(new RolePolicy(entry, source + " (inline)", false));
                case TEMPLATE -> policies.add(new RolePolicy(mapIf(entry, branch -> expandTemplate(branch, templates)),
                        source + " (" + templateName(entry) + ", SAM policy template)", false));
                default -> notes.add(functionId + ": " + source + " is neither a policy document, a managed policy nor"
                        + " a SAM policy template (" + SamPolicyTemplates.VERSION + "): SAM would refuse it; ignored");
            }
        } catch (IllegalArgumentException e) {
            notes.add(functionId + ": " + source + ": " + e.getMessage() + " (SAM would refuse the template); ignored");
        }
    }

    private enum Kind { MANAGED, STATEMENT, TEMPLATE, UNKNOWN }

    /** SAM's ResourcePolicies._get_type. */
    private static Kind type(Object entry, SamPolicyTemplates templates) {
        if (entry instanceof String) {
            return Kind.MANAGED;
        }
        if (entry instanceof Intrinsic.Fn fn && fn.name().equals("Fn::If") && fn.args() instanceof List<?> args
                && args.size() == 3) {
            Kind then = noValue(args.get(1)) ? null : type(args.get(1), templates);
            Kind otherwise = noValue(args.get(2)) ? null : type(args.get(2), templates);
            if (then != null && otherwise != null && then != otherwise) {
                throw new IllegalArgumentException("Different policy types within the same Fn::If statement is unsupported");
            }
            return then != null ? then : otherwise == null ? Kind.UNKNOWN : otherwise;
        }
        if (entry instanceof Intrinsic) {
            return Kind.MANAGED;
        }
        if (entry instanceof Map<?, ?> map && map.containsKey("Statement")) {
            return Kind.STATEMENT;
        }
        if (entry instanceof Map<?, ?> map && map.size() == 1 && templates.has(String.valueOf(map.keySet().iterator().next()))) {
            return Kind.TEMPLATE;
        }
        return Kind.UNKNOWN;
    }

    private static Object expandTemplate(Object entry, SamPolicyTemplates templates) {
        Map.Entry<?, ?> only = ((Map<?, ?>) entry).entrySet().iterator().next();
        return templates.expand(String.valueOf(only.getKey()), only.getValue());
    }

    /** Applies {@code change} to a value, or to both branches of its {@code Fn::If} ({@code AWS::NoValue} kept). */
    private static Object mapIf(Object value, java.util.function.UnaryOperator<Object> change) {
        if (value instanceof Intrinsic.Fn fn && fn.name().equals("Fn::If") && fn.args() instanceof List<?> args
                && args.size() == 3) {
            return new Intrinsic.Fn("Fn::If", List.of(args.get(0),
                    noValue(args.get(1)) ? args.get(1) : change.apply(args.get(1)),
                    noValue(args.get(2)) ? args.get(2) : change.apply(args.get(2))));
        }
        return change.apply(value);
    }

    private static boolean noValue(Object value) {
        return value instanceof Intrinsic.Ref ref && ref.name().equals("AWS::NoValue");
    }

    private static String templateName(Object entry) {
        Object first = entry instanceof Intrinsic.Fn fn && fn.args() instanceof List<?> args
                ? (noValue(args.get(1)) ? args.get(2) : args.get(1)) : entry;
        return first instanceof Map<?, ?> map ? String.valueOf(map.keySet().iterator().next()) : String.valueOf(first);
    }

    private static String managedName(Object entry) {
        return entry instanceof String name ? name : entry.toString();
    }

    private static String eventOrder(Map.Entry<?, ?> event) {
        return event.getValue() instanceof Map<?, ?> fields && fields.get("Properties") instanceof Map<?, ?> properties
                && properties.get("Path") instanceof String path ? path : String.valueOf(event.getKey());
    }

    /** SAM's PullEventSource._link_policy: the source's managed policy, and a policy for its failure destination. */
    private static void eventPolicies(String functionId, String event, Object definition, List<RolePolicy> policies,
                                      List<ManagedArn> managed, ManagedPolicies known) {
        if (!(definition instanceof Map<?, ?> fields)) {
            return;
        }
        String type = String.valueOf(fields.get("Type"));
        String policy = PULL_EVENT_POLICIES.get(type);
        if (policy == null) {
            return; // push events (HttpApi, Schedule, SNS...) grant through the function's resource policy
        }
        String where = "Events." + event;
        ManagedArn source = new ManagedArn(known.arn(policy), policy + " (SAM, " + where + ": Lambda polls the source)", true);
        if (managed.stream().noneMatch(existing -> Objects.equals(existing.arn(), source.arn()))) {
            managed.add(source);
        }
        Object destination = fields.get("Properties") instanceof Map<?, ?> properties
                && properties.get("DestinationConfig") instanceof Map<?, ?> config
                && config.get("OnFailure") instanceof Map<?, ?> onFailure ? onFailure : null;
        if (destination instanceof Map<?, ?> onFailure && onFailure.get("Type") != null) {
            Object target = onFailure.get("Destination");
            Object document = switch (String.valueOf(onFailure.get("Type"))) {
                case "SQS" -> document("sqs:SendMessage", target, false);
                case "SNS" -> document("sns:publish", target, false);
                case "S3" -> Map.of("Statement", List.of(
                        Map.of("Action", "s3:PutObject", "Effect", "Allow",
                                "Resource", new Intrinsic.Fn("Fn::Join", List.of("/", List.of(target, "*")))),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow", "Resource", target)));
                default -> null;
            };
            boolean present = policies.stream().anyMatch(existing -> existing.document().equals(document));
            if (document != null && !present) {
                policies.add(new RolePolicy(document, where + " OnFailure destination (SAM: Lambda sends there)", true));
            }
        }
    }

    /** A one-statement document as SAM's IAMRolePolicies builds them (with a Version for the dead-letter queue's). */
    private static Map<String, Object> document(String action, Object resource, boolean versioned) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", action);
        statement.put("Effect", "Allow");
        statement.put("Resource", resource);
        Map<String, Object> document = new LinkedHashMap<>();
        if (versioned) {
            document.put("Version", "2012-10-17");
        }
        document.put("Statement", List.of(statement));
        return document;
    }

    /** The logical id of the template's AWS::IAM::Role a function's {@code Role} names, or null. */
    private static String roleLogicalId(Object role, SamTemplate template) {
        String id = role instanceof Intrinsic.GetAtt getAtt && getAtt.attribute().equals("Arn") ? getAtt.resource()
                : role instanceof Intrinsic.Ref ref ? ref.name() : null;
        return id != null && template.resources().containsKey(id) && template.resource(id).type().equals(IAM_ROLE) ? id : null;
    }

    private static void templateRole(SamTemplate template, String roleId, List<RolePolicy> policies, List<ManagedArn> managed) {
        Map<String, Object> properties = template.resource(roleId).properties();
        if (properties.get("Policies") instanceof List<?> inline) {
            for (Object policy : inline) {
                if (policy instanceof Map<?, ?> fields) {
                    policies.add(new RolePolicy(fields.get("PolicyDocument"),
                            roleId + " policy " + fields.get("PolicyName"), false));
                }
            }
        }
        if (properties.get("ManagedPolicyArns") instanceof List<?> arns) {
            for (Object arn : arns) {
                managed.add(new ManagedArn(arn, roleId + " managed policy " + arn, false));
            }
        }
        for (SamTemplate.Resource resource : template.resources().values()) {
            boolean policy = resource.type().equals("AWS::IAM::Policy") || resource.type().equals("AWS::IAM::ManagedPolicy");
            if (policy && resource.properties().get("Roles") instanceof List<?> roles
                    && roles.contains(new Intrinsic.Ref(roleId))) {
                policies.add(new RolePolicy(resource.properties().get("PolicyDocument"), resource.logicalId(), false));
            }
        }
    }

    /** Evaluates a SAM role against the stack; a statement or resource that cannot be evaluated locally is left out, with a note. */
    static ExecutionRole evaluate(SamRole role, Stack stack, ResourceArns arns, List<String> notes) {
        notes.addAll(role.notes());
        String functionId = role.functionId();
        String functionName = functionName(stack, functionId);
        String roleName = role.roleName() != null ? role.roleName() : stack.name() + "-" + functionId + "Role";
        List<Statement> statements = new ArrayList<>();
        ManagedPolicies known = ManagedPolicies.bundled();
        for (ManagedArn managed : role.managedPolicies()) {
            String arn;
            try {
                arn = stack.resolveString(managed.arn());
            } catch (RuntimeException e) {
                notes.add(functionId + ": " + managed.source() + " cannot be evaluated locally (" + e.getMessage()
                        + "): none of its permissions are granted");
                continue;
            }
            if (arn == null) {
                continue; // Fn::If to AWS::NoValue
            }
            var document = known.document(arn);
            if (document.isEmpty()) {
                notes.add(functionId + ": managed policy " + arn + " is not known locally: none of its permissions"
                        + " are granted (infra/local knows " + "the ones SAM attaches by itself)");
                continue;
            }
            statements.addAll(Statement.of(document.get(), managed.source(), managed.platform(), arns));
        }
        for (RolePolicy policy : role.policies()) {
            Object document = resolveDocument(policy.document(), stack, functionId + " " + policy.source(), notes);
            if (document != null) {
                try {
                    statements.addAll(Statement.of(document, policy.source(), policy.platform(), arns));
                } catch (IllegalArgumentException e) {
                    notes.add(functionId + ": " + e.getMessage() + "; policy ignored");
                }
            }
        }
        return new ExecutionRole(functionId, roleName, arns.role(roleName), arns.assumedRole(roleName, functionName),
                statements);
    }

    private static String functionName(Stack stack, String functionId) {
        try {
            String name = stack.resolveString(stack.template().functionProperties(functionId).get("FunctionName"));
            return name != null ? name : stack.name() + "-" + functionId;
        } catch (RuntimeException e) {
            return stack.name() + "-" + functionId;
        }
    }

    /**
     * The document with its intrinsics evaluated. A {@code Resource} entry that names something not
     * provisioned locally (an SNS topic, a KMS key) is dropped with a note, so the rest of its
     * statement still applies; any other failure drops the statement.
     */
    private static Object resolveDocument(Object document, Stack stack, String where, List<String> notes) {
        Object chosen = document;
        if (document instanceof Intrinsic.Fn fn && fn.name().equals("Fn::If") && fn.args() instanceof List<?> args) {
            chosen = stack.condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2);
            if (noValue(chosen)) {
                return null;
            }
        }
        if (!(chosen instanceof Map<?, ?> fields) || !(fields.get("Statement") instanceof List<?> || fields.get("Statement") instanceof Map<?, ?>)) {
            return stack.resolve(chosen);
        }
        Object given = fields.get("Statement");
        List<?> statements = given instanceof List<?> list ? list : List.of(given);
        List<Object> resolved = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            Object statement = statements.get(i);
            try {
                if (!(statement instanceof Map<?, ?> statementFields)) {
                    Object value = stack.resolve(statement);
                    if (value != null) {
                        resolved.add(value);
                    }
                    continue;
                }
                Map<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> field : statementFields.entrySet()) {
                    String key = String.valueOf(field.getKey());
                    Object value = key.equals("Resource") || key.equals("NotResource")
                            ? resources(field.getValue(), stack, where + " Statement[" + i + "]", notes)
                            : stack.resolve(field.getValue());
                    if (value != null) {
                        copy.put(key, value);
                    }
                }
                resolved.add(copy);
            } catch (RuntimeException e) {
                notes.add(where + " Statement[" + i + "] cannot be evaluated locally (" + e.getMessage() + "): not granted");
            }
        }
        return Map.of("Statement", resolved);
    }

    private static List<Object> resources(Object value, Stack stack, String where, List<String> notes) {
        Object evaluated;
        try {
            evaluated = stack.resolve(value);
            return evaluated instanceof List<?> list ? new ArrayList<>(list) : evaluated == null ? List.of() : List.of(evaluated);
        } catch (RuntimeException whole) {
            // evaluate entry by entry below
        }
        List<Object> kept = new ArrayList<>();
        for (Object entry : value instanceof List<?> list ? list : List.of(value)) {
            try {
                Object resource = stack.resolve(entry);
                if (resource instanceof List<?> many) {
                    kept.addAll(many);
                } else if (resource != null) {
                    kept.add(resource);
                }
            } catch (RuntimeException e) {
                notes.add(where + ": resource " + entry + " is not provisioned locally (" + e.getMessage()
                        + "); the statement's other resources still apply");
            }
        }
        return kept;
    }
}
