package dev.longhaul.local.iam.guest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The local cloud's IAM check inside a function: a global SDK interceptor that the local cloud
 * puts on each function's class path, so it is loaded by the function's own class loader and sees
 * every request the function's SDK clients make. It describes each call in JDK types (service,
 * operation and the request fields that name resources) and asks the local cloud's policy engine,
 * connected through {@link #connect}, whether the function's role allows it. A denied call fails
 * before it is sent, with the service's own exception type, as AWS would answer it.
 *
 * <p>It runs in the function's class loader, where none of the local cloud's classes exist: it may
 * use only the JDK and the SDK's core (which every SDK client brings), never another class of the
 * local cloud, and it has no nested classes (the local cloud copies this one class file).
 */
public final class IamInterceptor implements ExecutionInterceptor {

    /** The request fields that name what a call acts on, or qualify it for a condition key. */
    private static final Set<String> NAMING_FIELDS = Set.of("TableName", "IndexName", "QueueUrl", "QueueName",
            "Bucket", "Key", "Prefix", "Delimiter", "MaxKeys", "VersionId", "CopySource", "SourceBucket", "SourceKey",
            "Select", "ReturnValues", "ReturnConsumedCapacity", "ServerSideEncryption", "ACL", "KeyId", "SecretId",
            "TopicArn", "TargetArn", "StreamArn", "ResourceArn", "FunctionName", "Name");
    /** The request fields that hold the parts of a batch or a transaction, each naming its own resource. */
    private static final Set<String> PART_FIELDS = Set.of("TransactItems", "Put", "Update", "Delete",
            "ConditionCheck", "Get", "RequestItems", "Objects");
    private static final int MAX_DEPTH = 4;
    /** Marks a call whose 404 this interceptor turned into S3's 403 for a missing key. */
    private static final ExecutionAttribute<Boolean> REFUSED = new ExecutionAttribute<>("LonghaulLocalIamMissingKey");

    private static volatile Function<Map<String, String>, Map<String, String>> guard;

    /** The SDK instantiates global interceptors through this constructor. */
    public IamInterceptor() {
    }

    /**
     * Connects the policy engine of the function this class was loaded for. It receives a call's
     * description and answers null when the role allows the call, else how AWS would refuse it:
     * {@code status}, {@code code} (absent when AWS sends no body, as for HEAD) and {@code message}.
     */
    public static void connect(Function<Map<String, String>, Map<String, String>> engine) {
        guard = engine;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Function<Map<String, String>, Map<String, String>> engine = guard;
        if (engine == null) {
            return;
        }
        // A presigned URL is signed here and used elsewhere: AWS refuses the download, not the
        // signing, so a denied presign is reported (and recorded) but the URL is still handed out.
        boolean presign = attributes.getAttributes().keySet().stream()
                .anyMatch(attribute -> "PresignerExpiration".equals(attribute.toString()));
        Map<String, String> refusal = engine.apply(describe(context.request(), attributes, presign ? "presign" : "call"));
        if (refusal != null && !presign) {
            throw refusal(context.request(), attributes, refusal);
        }
    }

    /**
     * S3 answers a read of a missing key with 404 only to a caller that may also list the bucket;
     * to any other it answers 403, so that it cannot learn which keys exist. The backend's 404 is
     * turned into that 403 before the SDK reads it, so the SDK raises what it raises for AWS's
     * answer (AccessDeniedException for a GET, an S3Exception without a code for a HEAD).
     */
    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Function<Map<String, String>, Map<String, String>> engine = guard;
        SdkHttpResponse response = context.httpResponse();
        if (engine == null || response.statusCode() != 404
                || !"S3".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            return response;
        }
        Map<String, String> refusal = engine.apply(describe(context.request(), attributes, "missing"));
        if (refusal == null) {
            return response;
        }
        attributes.putAttribute(REFUSED, Boolean.TRUE);
        return response.toBuilder().statusCode(403).statusText("Forbidden")
                .removeHeader("Content-Length").removeHeader("Content-Type").build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                           ExecutionAttributes attributes) {
        // called with the response as it was before modifyHttpResponse changed it
        if (!Boolean.TRUE.equals(attributes.getAttribute(REFUSED))) {
            return context.responseBody();
        }
        if ("HEAD".equals(context.httpRequest().method().name())) {
            return Optional.empty();
        }
        String requestId = context.httpResponse().firstMatchingHeader("x-amz-request-id").orElse("");
        String error = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
                + "<Message>Access Denied</Message><RequestId>" + requestId + "</RequestId></Error>";
        return Optional.of(new ByteArrayInputStream(error.getBytes(StandardCharsets.UTF_8)));
    }

    static Map<String, String> describe(SdkRequest request, ExecutionAttributes attributes, String phase) {
        Map<String, String> call = new LinkedHashMap<>();
        call.put("@service", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)));
        call.put("@operation", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)));
        call.put("@phase", phase);
        collect(request, "", call, 0);
        return call;
    }

    /**
     * The naming fields of {@code pojo} by path, such as {@code TableName}, {@code
     * TransactItems[1].Update.TableName} or {@code RequestItems{tasks}} (a map's keys, which name the
     * tables of a batch). Item contents and expressions are never read.
     */
    private static void collect(SdkPojo pojo, String prefix, Map<String, String> into, int depth) {
        for (SdkField<?> field : pojo.sdkFields()) {
            String name = field.memberName();
            Object value = field.getValueOrDefault(pojo);
            if (value == null) {
                continue;
            }
            if (NAMING_FIELDS.contains(name) && (value instanceof String || value instanceof Number
                    || value instanceof Boolean)) {
                into.put(prefix + name, String.valueOf(value));
            } else if (PART_FIELDS.contains(name) && depth < MAX_DEPTH) {
                if (value instanceof SdkPojo part) {
                    collect(part, prefix + name + ".", into, depth + 1);
                } else if (value instanceof List<?> parts) {
                    for (int i = 0; i < parts.size(); i++) {
                        if (parts.get(i) instanceof SdkPojo part) {
                            collect(part, prefix + name + "[" + i + "].", into, depth + 1);
                        }
                    }
                } else if (value instanceof Map<?, ?> byName) {
                    byName.keySet().forEach(key -> into.put(prefix + name + "{" + key + "}", ""));
                }
            }
        }
    }

    /** The service's access-denied exception: its modeled AccessDeniedException, else its base exception. */
    private static RuntimeException refusal(SdkRequest request, ExecutionAttributes attributes,
                                            Map<String, String> refusal) {
        String serviceName = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String model = request.getClass().getPackageName();
        String code = refusal.get("code");
        ClassLoader loader = request.getClass().getClassLoader();
        Class<?> type = null;
        for (String candidate : "AccessDenied".equals(code)
                ? List.of(model + ".AccessDeniedException", model + "." + serviceName + "Exception")
                : List.of(model + "." + serviceName + "Exception")) {
            try {
                type = Class.forName(candidate, true, loader);
                break;
            } catch (ClassNotFoundException e) {
                // try the next one
            }
        }
        int status = Integer.parseInt(refusal.get("status"));
        String requestId = UUID.randomUUID().toString();
        AwsErrorDetails details = AwsErrorDetails.builder()
                .errorCode(code)
                .errorMessage(refusal.get("message"))
                .serviceName(serviceName)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status)
                        .putHeader("x-amzn-RequestId", requestId).build())
                .build();
        try {
            AwsServiceException.Builder builder = type == null ? AwsServiceException.builder()
                    : (AwsServiceException.Builder) type.getMethod("builder").invoke(null);
            return builder.awsErrorDetails(details).statusCode(status).requestId(requestId)
                    .message(refusal.get("message")).build();
        } catch (ReflectiveOperationException | ClassCastException e) {
            return AwsServiceException.builder().awsErrorDetails(details).statusCode(status).requestId(requestId)
                    .message(refusal.get("message")).build();
        }
    }
}
