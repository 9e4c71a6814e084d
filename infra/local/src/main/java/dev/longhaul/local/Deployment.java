package dev.longhaul.local;

import dev.longhaul.emulators.Intrinsic;
import dev.longhaul.emulators.SamTemplate;
import dev.longhaul.emulators.Stack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the local cloud runs from a provisioned template: its functions and HTTP APIs, with every
 * property or event it does not honour written down in {@link #notes()}, never dropped silently.
 */
final class Deployment {

    static final String HTTP_API = "AWS::Serverless::HttpApi";
    /** The API SAM creates for HttpApi events without an ApiId. */
    static final String IMPLICIT_API = "ServerlessHttpApi";

    private static final Map<String, String> IGNORED_FUNCTION_PROPERTIES = Map.ofEntries(
            Map.entry("Architectures", "functions run on this JVM's architecture"),
            Map.entry("Description", "documentation only"),
            Map.entry("Tags", "no tagging locally"),
            Map.entry("Tracing", "no X-Ray locally"),
            Map.entry("LoggingConfig", "function output goes to the local cloud's output"),
            Map.entry("EphemeralStorage", "functions share this machine's disk"),
            Map.entry("SnapStart", "no snapshots locally: every instance initialises normally"),
            Map.entry("AutoPublishAlias", "no versions or aliases locally: $LATEST runs"),
            Map.entry("DeploymentPreference", "no deployments locally"),
            Map.entry("Layers", "layers are not loaded: put the code in the function's jar"),
            Map.entry("VpcConfig", "no VPC locally"),
            Map.entry("DeadLetterQueue", "asynchronous invocation is not emulated"),
            Map.entry("EventInvokeConfig", "asynchronous invocation is not emulated"),
            Map.entry("ProvisionedConcurrencyConfig", "instances are created on demand"),
            Map.entry("FunctionUrlConfig", "function URLs are not served; use an HttpApi event"),
            Map.entry("KmsKeyArn", "no KMS locally"),
            Map.entry("PackageType", "only Zip/jar packages run locally"),
            Map.entry("ImageUri", "container images do not run locally"),
            Map.entry("InlineCode", "inline code does not run locally"),
            Map.entry("RuntimeManagementConfig", "functions run on this JVM"),
            Map.entry("PermissionsBoundary", "the role's own policies are enforced; a boundary that would narrow them is not"),
            Map.entry("CodeSigningConfigArn", "code signing is not checked locally"),
            Map.entry("FileSystemConfigs", "no EFS locally"));
    /** Honoured properties; Policies and Role make the role the IAM check enforces (infra/local iam). */
    private static final Set<String> FUNCTION_PROPERTIES = Set.of("CodeUri", "Handler", "Runtime", "Timeout",
            "MemorySize", "Environment", "Events", "FunctionName", "ReservedConcurrentExecutions", "Policies", "Role");
    private static final Map<String, Set<String>> EVENT_PROPERTIES = Map.of(
            "HttpApi", Set.of("ApiId", "Method", "Path", "Auth", "PayloadFormatVersion", "TimeoutInMillis"),
            "SQS", Set.of("Queue", "BatchSize", "MaximumBatchingWindowInSeconds", "FunctionResponseTypes",
                    "Enabled", "FilterCriteria"),
            "Schedule", Set.of("Schedule", "Enabled", "State", "Input", "Name", "Description"),
            "ScheduleV2", Set.of("ScheduleExpression", "ScheduleExpressionTimezone", "State", "Input", "Name",
                    "Description"),
            "DynamoDB", Set.of("Stream", "StartingPosition", "BatchSize", "MaximumBatchingWindowInSeconds",
                    "FunctionResponseTypes", "Enabled", "FilterCriteria", "MaximumRetryAttempts"));
    private static final Set<String> HTTP_API_PROPERTIES = Set.of("Auth");

    private final List<FunctionSpec> functions = new ArrayList<>();
    private final Map<String, HttpApiSpec> apis = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private Deployment() {
    }

    /**
     * Reads the functions and APIs of {@code stack}'s template.
     *
     * @param platform   variables every function gets (Lambda's and the backend's)
     * @param envVars    the {@code --env-vars} file, applied over the template's variables
     */
    static Deployment read(Stack stack, Path templateDirectory, Map<String, String> platform, EnvVars envVars) {
        Deployment deployment = new Deployment();
        SamTemplate template = stack.template();
        for (SamTemplate.Resource resource : template.resources().values()) {
            if (resource.type().equals(HTTP_API)) {
                deployment.apis.put(resource.logicalId(), deployment.httpApi(resource, stack));
            }
        }
        for (SamTemplate.Resource resource : template.resources().values()) {
            if (resource.type().equals(SamTemplate.SERVERLESS_FUNCTION)) {
                FunctionSpec function = deployment.function(resource, stack, templateDirectory, platform, envVars);
                if (function != null) {
                    deployment.functions.add(function);
                }
            } else if (resource.type().equals("AWS::Lambda::Function")) {
                deployment.notes.add(resource.logicalId() + " (AWS::Lambda::Function) does not run locally:"
                        + " only AWS::Serverless::Function is supported");
            }
        }
        for (String unknown : envVars.unknownFunctions(deployment.functions.stream().map(FunctionSpec::logicalId).toList())) {
            deployment.notes.add("--env-vars: " + unknown + " is not a function of the template; its variables are ignored");
        }
        return deployment;
    }

    List<FunctionSpec> functions() {
        return List.copyOf(functions);
    }

    HttpApiSpec api(String logicalId) {
        return apis.get(logicalId);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * Fills the template parameters that the APIs' JWT authorizers read, when they have neither a
     * default nor an override, with the local issuer and audience the {@code token} command uses.
     */
    static Map<String, String> localJwtParameters(SamTemplate template, Map<String, String> overrides) {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (SamTemplate.Resource resource : template.resources().values()) {
            if (!resource.type().equals(HTTP_API)) {
                continue;
            }
            Object authorizers = path(resource.properties(), "Auth", "Authorizers");
            if (!(authorizers instanceof Map<?, ?> byName)) {
                continue;
            }
            for (Object authorizer : byName.values()) {
                Object issuer = path(authorizer, "JwtConfiguration", "issuer");
                Object audience = path(authorizer, "JwtConfiguration", "audience");
                localDefault(template, overrides, issuer, Jwt.LOCAL_ISSUER, defaults);
                localDefault(template, overrides, audience, Jwt.LOCAL_AUDIENCE, defaults);
            }
        }
        return defaults;
    }

    /** Where a template keeps the parameter values the local cloud uses instead of their defaults. */
    static final String LOCAL_METADATA = "Longhaul::LocalCloud";

    /**
     * The parameter values the template itself asks for when it runs locally
     * ({@code Metadata: Longhaul::LocalCloud: ParameterDefaults}), such as allowing webhooks to
     * loopback receivers; an override wins, and a name the template does not declare is an error.
     */
    static Map<String, String> localParameterDefaults(SamTemplate template, Map<String, String> overrides) {
        Map<String, String> defaults = new LinkedHashMap<>();
        Object values = path(template.metadata(), LOCAL_METADATA, "ParameterDefaults");
        if (values instanceof Map<?, ?> byName) {
            byName.forEach((name, value) -> {
                String parameter = String.valueOf(name);
                if (!template.parameters().containsKey(parameter)) {
                    throw new IllegalArgumentException("Metadata " + LOCAL_METADATA + " sets " + parameter
                            + ", which is not a parameter of the template");
                }
                if (!overrides.containsKey(parameter)) {
                    defaults.put(parameter, String.valueOf(value));
                }
            });
        }
        return defaults;
    }

    private static void localDefault(SamTemplate template, Map<String, String> overrides, Object value,
                                     String localValue, Map<String, String> into) {
        if (value instanceof Intrinsic.Ref ref && template.parameters().containsKey(ref.name())
                && template.parameters().get(ref.name()).defaultValue().isEmpty()
                && !overrides.containsKey(ref.name())) {
            into.put(ref.name(), localValue);
        }
    }

    private HttpApiSpec httpApi(SamTemplate.Resource resource, Stack stack) {
        String id = resource.logicalId();
        Map<String, HttpApiSpec.Authorizer> authorizers = new LinkedHashMap<>();
        String defaultAuthorizer = null;
        Object auth = resource.properties().get("Auth");
        if (auth != null) {
            Map<String, Object> resolved = asMap(stack.resolve(auth));
            Object byName = resolved.get("Authorizers");
            if (byName instanceof Map<?, ?> map) {
                map.forEach((name, definition) -> {
                    Map<String, Object> fields = asMap(definition);
                    Object jwt = fields.get("JwtConfiguration");
                    if (!(jwt instanceof Map<?, ?> configuration)) {
                        notes.add(id + ": authorizer " + name + " is not a JWT authorizer; only JwtConfiguration"
                                + " authorizers are emulated, so its routes answer 401");
                        return;
                    }
                    Object audience = configuration.get("audience");
                    List<String> audiences = audience instanceof List<?> list
                            ? list.stream().map(String::valueOf).toList()
                            : audience == null ? List.of() : List.of(String.valueOf(audience));
                    String source = fields.get("IdentitySource") == null ? "$request.header.Authorization"
                            : String.valueOf(fields.get("IdentitySource"));
                    String header = "authorization";
                    if (source.startsWith("$request.header.")) {
                        header = source.substring("$request.header.".length()).toLowerCase(Locale.ROOT);
                    } else {
                        notes.add(id + ": authorizer " + name + " IdentitySource " + source
                                + " is not a request header; the Authorization header is read instead");
                    }
                    Object issuer = configuration.get("issuer");
                    // the scopes its routes require unless a route names its own
                    List<String> scopes = fields.get("AuthorizationScopes") instanceof List<?> list
                            ? list.stream().map(String::valueOf).toList() : List.of();
                    authorizers.put(String.valueOf(name), new HttpApiSpec.Authorizer(String.valueOf(name),
                            issuer == null ? null : String.valueOf(issuer), audiences, header, scopes));
                    notes.add(id + ": authorizer " + name + " verifies HS256 tokens signed with the local JWT"
                            + " secret (AWS verifies the issuer's keys); issuer " + issuer + ", audience " + audiences);
                });
            }
            if (resolved.get("DefaultAuthorizer") != null) {
                defaultAuthorizer = String.valueOf(resolved.get("DefaultAuthorizer"));
            }
            Set<String> ignored = new LinkedHashSet<>(resolved.keySet());
            ignored.removeAll(Set.of("Authorizers", "DefaultAuthorizer"));
            if (!ignored.isEmpty()) {
                notes.add(id + ": Auth." + String.join(", Auth.", ignored) + " not applied locally");
            }
        }
        ignoredProperties(id, resource.properties().keySet(), HTTP_API_PROPERTIES, Map.of());
        return new HttpApiSpec(id, authorizers, defaultAuthorizer);
    }

    private FunctionSpec function(SamTemplate.Resource resource, Stack stack, Path templateDirectory,
                                  Map<String, String> platform, EnvVars envVars) {
        String id = resource.logicalId();
        Map<String, Object> properties = stack.template().functionProperties(id);
        String runtime = stack.resolveString(properties.get("Runtime"));
        if (runtime != null && !runtime.startsWith("java")) {
            notes.add(id + " does not run: Runtime " + runtime + " is not a Java runtime");
            return null;
        }
        String codeUri = stack.resolveString(properties.get("CodeUri"));
        String handler = stack.resolveString(properties.get("Handler"));
        if (codeUri == null || handler == null) {
            notes.add(id + " does not run: it needs a local CodeUri (a jar or a directory) and a Handler");
            return null;
        }
        int separator = handler.indexOf("::");
        String handlerClass = separator < 0 ? handler : handler.substring(0, separator);
        String handlerMethod = separator < 0 ? "handleRequest" : handler.substring(separator + 2);
        Duration timeout = Duration.ofSeconds(number(stack.resolveString(properties.get("Timeout")), 3));
        int memory = (int) number(stack.resolveString(properties.get("MemorySize")), 128);
        String functionName = stack.resolveString(properties.get("FunctionName"));
        if (functionName == null) {
            functionName = stack.name() + "-" + id;
        }
        ignoredProperties(id, properties.keySet(), FUNCTION_PROPERTIES, IGNORED_FUNCTION_PROPERTIES);
        if (runtime != null) {
            notes.add(id + ": Runtime " + runtime + " runs inside this JVM (Java " + Runtime.version().feature()
                    + "), in its own class loader");
        }

        Map<String, String> templateVariables = stack.functionEnvironment(id);
        if (templateVariables.containsKey("JAVA_TOOL_OPTIONS")) {
            notes.add(id + ": JAVA_TOOL_OPTIONS does not apply: functions run inside the local cloud's JVM");
        }
        Map<String, String> environment = new LinkedHashMap<>(platform);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/" + id);
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + (runtime == null ? "java" : runtime));
        environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        environment.put("TZ", ":UTC");
        // as sam local sets it: the console function offers the local cloud's development sign-in
        environment.put("AWS_SAM_LOCAL", "true");
        environment.putAll(templateVariables);
        Map<String, String> overrides = envVars.forFunction(id);
        for (String name : overrides.keySet()) {
            if (!templateVariables.containsKey(name)) {
                notes.add(id + ": --env-vars adds " + name + ", which the template does not declare"
                        + " (sam local would ignore it)");
            }
        }
        environment.putAll(overrides);

        List<FunctionSpec.EventSpec> events = new ArrayList<>();
        Object rawEvents = properties.get("Events");
        if (rawEvents instanceof Map<?, ?> byName) {
            byName.forEach((name, definition) -> {
                Map<String, Object> fields = asMap(definition);
                String type = String.valueOf(fields.get("Type"));
                Map<String, Object> raw = fields.get("Properties") == null ? Map.of() : asMap(fields.get("Properties"));
                String where = id + ".Events." + name + " (" + type + ")";
                Set<String> supported = EVENT_PROPERTIES.get(type);
                if (supported == null) {
                    notes.add(where + " is not emulated: the local cloud runs HttpApi, SQS, Schedule, ScheduleV2"
                            + " and DynamoDB events");
                    return;
                }
                Map<String, Object> resolved = new LinkedHashMap<>();
                for (Map.Entry<String, Object> property : raw.entrySet()) {
                    if (property.getKey().equals("ApiId")) {
                        continue; // an HttpApi is not provisioned, so its Ref is read as written
                    }
                    try {
                        Object value = stack.resolve(property.getValue());
                        if (value != null) {
                            resolved.put(property.getKey(), value);
                        }
                    } catch (RuntimeException e) {
                        notes.add(where + ": " + property.getKey() + " cannot be resolved locally: " + e.getMessage());
                    }
                }
                Set<String> ignored = new LinkedHashSet<>(raw.keySet());
                ignored.removeAll(supported);
                if (!ignored.isEmpty()) {
                    notes.add(where + ": " + String.join(", ", ignored) + " not honoured locally");
                }
                events.add(new FunctionSpec.EventSpec(String.valueOf(name), type, resolved, raw));
            });
        }
        return new FunctionSpec(id, functionName, templateDirectory.resolve(codeUri).normalize(), handlerClass,
                handlerMethod, timeout, memory, environment, events);
    }

    private void ignoredProperties(String id, Set<String> present, Set<String> honoured, Map<String, String> reasons) {
        for (String property : present) {
            if (!honoured.contains(property)) {
                notes.add(id + ": " + property + " not applied locally: "
                        + reasons.getOrDefault(property, "not supported by the local cloud"));
            }
        }
    }

    private static long number(String value, long fallback) {
        return value == null ? fallback : Long.parseLong(value.trim());
    }

    /** The value at {@code keys} inside nested maps, or null where one is missing. */
    static Object path(Object value, String... keys) {
        Object current = value;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** An {@code AWS::Serverless::HttpApi}: its JWT authorizers and the default one. */
    record HttpApiSpec(String logicalId, Map<String, Authorizer> authorizers, String defaultAuthorizer) {

        /**
         * A JWT authorizer: issuer and audiences to check, the header that carries the token, and
         * the scopes its routes require by default.
         */
        record Authorizer(String name, String issuer, List<String> audiences, String header, List<String> scopes) {
            Authorizer {
                scopes = List.copyOf(scopes);
            }
        }
    }
}
