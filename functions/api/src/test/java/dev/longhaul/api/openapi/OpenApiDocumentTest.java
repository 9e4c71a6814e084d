package dev.longhaul.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.webhook.Delivery;
import dev.longhaul.core.webhook.WebhookEvent;
import dev.longhaul.core.webhook.WebhookPayload;
import dev.longhaul.core.webhook.WebhookSecret;
import dev.longhaul.core.webhook.WebhookSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The document against the code and the template it describes: routes, problem codes, job types, deliveries. */
class OpenApiDocumentTest {
    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();

    /** Problem.Kind to HTTP status, as Problems.status maps them (a test oracle, kept in step by hand). */
    private static final Map<String, Integer> STATUS_OF_KIND = Map.ofEntries(
            Map.entry("INVALID", 400), Map.entry("UNAUTHORIZED", 401), Map.entry("FORBIDDEN", 403),
            Map.entry("NOT_FOUND", 404), Map.entry("CONFLICT", 409), Map.entry("GONE", 410),
            Map.entry("TOO_LARGE", 413), Map.entry("UNPROCESSABLE", 422), Map.entry("LIMIT_EXCEEDED", 429),
            Map.entry("UNAVAILABLE", 503), Map.entry("INTERNAL", 500));

    /** Codes the function can answer that no client reaches through API Gateway. */
    private static final Set<String> UNREACHABLE_THROUGH_GATEWAY = Set.of(
            // API Gateway only forwards the routes template.yaml declares
            "route-not-found");

    private static final Pattern PROBLEM = Pattern.compile(
            "Problem\\.of\\(\\s*Problem\\.Kind\\.([A-Z_]+)\\s*,\\s*\"([^\"]+)\"");

    @Test
    void everyTemplateRouteIsDocumentedAndEveryDocumentedRouteIsInTheTemplate() {
        // the console's routes (GET /console, GET /console/{proxy+}) serve a web page, not the API
        Set<String> template = SamRoutes.load(TestCloud.templatePath()).stream()
                .filter(route -> route.contains(" /v1/"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = DOCUMENT.operations().stream()
                .map(o -> o.method().toUpperCase(Locale.ROOT) + " " + o.pathTemplate())
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(template.size() >= 6, "routes read from template.yaml: " + template);
        assertEquals(template, documented);
    }

    @Test
    void templateReaderToleratesCloudFormationTags() {
        Set<String> routes = SamRoutes.parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Role: !GetAtt [Role, Arn]
                      Environment:
                        Variables:
                          A: !Sub "${Table.Arn}/x"
                          B: !Join [",", [!Ref X, !Ref Y]]
                      Events:
                        Get:
                          Type: HttpApi
                          Properties:
                            ApiId: !Ref HttpApi
                            Method: get
                            Path: /v1/things/{id}
                        Queue:
                          Type: SQS
                          Properties:
                            Queue: !GetAtt Q.Arn
                """);
        assertEquals(Set.of("GET /v1/things/{id}"), routes);
    }

    @Test
    void everyProblemTheCodeRaisesIsDocumentedUnderItsStatus() {
        Map<String, Integer> raised = problemCodesInSources();
        assertTrue(raised.size() >= 15, "problem codes found in the sources: " + raised);
        Set<String> enumerated = new TreeSet<>(problemCodeEnum());
        Map<String, Set<Integer>> documented = documentedCodesByStatus();
        List<String> missing = new ArrayList<>();
        raised.forEach((code, status) -> {
            if (!enumerated.contains(code)) {
                missing.add(code + " is not in Problem.code's enum");
            }
            if (!UNREACHABLE_THROUGH_GATEWAY.contains(code)
                    && !documented.getOrDefault(code, Set.of()).contains(status)) {
                missing.add(code + " is not documented on any " + status + " response (documented under "
                        + documented.getOrDefault(code, Set.of()) + ")");
            }
        });
        assertEquals(List.of(), missing);
        assertEquals(new TreeSet<>(raised.keySet()), enumerated, "Problem.code's enum lists codes the code never raises");
    }

    @Test
    void documentedJobTypesAreTheRegisteredOnes() {
        Set<String> registered = new TreeSet<>(JobRegistry.builtIn().types());
        Map<String, Object> schemas = OpenApiDocument.map(OpenApiDocument.map(DOCUMENT.root().get("components")).get("schemas"));
        Map<String, Object> request = OpenApiDocument.map(schemas.get("CreateTaskRequest"));
        Map<String, Object> mapping = OpenApiDocument.map(OpenApiDocument.map(request.get("discriminator")).get("mapping"));
        assertEquals(registered, new TreeSet<>(mapping.keySet()));
        assertEquals(((List<?>) request.get("oneOf")).size(), mapping.size());
        Map<String, Object> task = OpenApiDocument.map(schemas.get("Task"));
        Object taskTypes = OpenApiDocument.map(OpenApiDocument.map(task.get("properties")).get("type")).get("enum");
        assertEquals(registered, new TreeSet<>((List<?>) taskTypes));
    }

    /**
     * The create request's hand-written schema of each type's parameters says what the schema
     * generated for {@code GET /v1/task-types} says, descriptions aside: the document cannot drift
     * from the rules create validates with.
     */
    @Test
    void documentedParametersOfEachTypeAreTheGeneratedSchema() {
        Map<String, Object> schemas = OpenApiDocument.map(OpenApiDocument.map(DOCUMENT.root().get("components")).get("schemas"));
        Map<String, Object> mapping = OpenApiDocument.map(OpenApiDocument.map(
                OpenApiDocument.map(schemas.get("CreateTaskRequest")).get("discriminator")).get("mapping"));
        for (Job job : JobRegistry.builtIn().jobs()) {
            Map<String, Object> request = DOCUMENT.deref(Map.of("$ref", mapping.get(job.type())));
            Map<String, Object> documented = parametersBranch(OpenApiDocument.map(
                    OpenApiDocument.map(request.get("properties")).get("parameters")));
            Map<String, Object> generated = job.parameters().jsonSchema();
            generated.remove("$schema");
            documented.putIfAbsent("required", List.of());
            assertEquals(withoutDescriptions(Json.parse(Json.write(generated))), withoutDescriptions(documented), job.type());
        }
    }

    /** The object schema of a request's {@code parameters}: its {@code $ref}, or the non-null branch of its {@code oneOf}. */
    private static Map<String, Object> parametersBranch(Map<String, Object> schema) {
        if (schema.get("oneOf") instanceof List<?> branches) {
            for (Object branch : branches) {
                Map<String, Object> b = DOCUMENT.deref(branch);
                if ("object".equals(b.get("type"))) {
                    return new java.util.LinkedHashMap<>(b);
                }
            }
        }
        return new java.util.LinkedHashMap<>(DOCUMENT.deref(schema));
    }

    /** The schema with every {@code description} removed, its numbers as JSON compares them. */
    private static Object withoutDescriptions(Object schema) {
        if (schema instanceof Map<?, ?> m) {
            Map<String, Object> copy = new TreeMap<>();
            m.forEach((k, v) -> {
                if (!k.equals("description")) {
                    copy.put(String.valueOf(k), withoutDescriptions(v));
                }
            });
            return copy;
        }
        if (schema instanceof List<?> l) {
            return l.stream().map(OpenApiDocumentTest::withoutDescriptions).toList();
        }
        return schema instanceof Number n ? new java.math.BigDecimal(n.toString()).stripTrailingZeros() : schema;
    }

    @Test
    void everyExampleConformsToItsSchema() {
        List<String> errors = new ArrayList<>();
        int[] checked = {0};
        walk(DOCUMENT.root(), "#", (node, where) -> {
            Object schema = node.get("schema");
            if (node.containsKey("example") && schema != null) {
                errors.addAll(prefixed(where, DOCUMENT.validator().validate(schema, node.get("example"))));
                checked[0]++;
            }
            if (node.get("examples") instanceof Map<?, ?> examples && schema != null) {
                for (Map.Entry<?, ?> e : examples.entrySet()) {
                    Object value = DOCUMENT.deref(e.getValue()).get("value");
                    errors.addAll(prefixed(where + "/examples/" + e.getKey(), DOCUMENT.validator().validate(schema, value)));
                    checked[0]++;
                }
            }
        });
        Map<String, Object> schemas = OpenApiDocument.map(OpenApiDocument.map(DOCUMENT.root().get("components")).get("schemas"));
        schemas.forEach((name, schema) -> {
            Map<String, Object> s = OpenApiDocument.map(schema);
            if (s.containsKey("example")) {
                errors.addAll(prefixed("#/components/schemas/" + name, DOCUMENT.validator().validate(s, s.get("example"))));
                checked[0]++;
            }
        });
        assertTrue(checked[0] >= 5, "examples checked: " + checked[0]);
        assertEquals(List.of(), errors);
    }

    @Test
    void everySchemaUsesOnlyKeywordsTheConformanceCheckerValidates() {
        walk(DOCUMENT.root(), "#", (node, where) -> {
            if (node.get("schema") instanceof Map<?, ?> schema) {
                DOCUMENT.validator().requireSupportedKeywords(schema, where + "/schema");
            }
        });
        Map<String, Object> schemas = OpenApiDocument.map(OpenApiDocument.map(DOCUMENT.root().get("components")).get("schemas"));
        schemas.forEach((name, schema) ->
                DOCUMENT.validator().requireSupportedKeywords(schema, "#/components/schemas/" + name));
    }

    @Test
    void everyOperationDocumentsAuthenticationAndInternalErrorsAndQuotesItsStatuses() {
        for (OpenApiDocument.Operation operation : DOCUMENT.operations()) {
            Map<String, Object> responses = operation.responses();
            for (Object status : responses.keySet()) {
                assertTrue(status instanceof String && ((String) status).matches("[1-5][0-9][0-9]"),
                        operation + ": response key " + status + " must be a quoted status code");
            }
            assertEquals(Map.of("$ref", "#/components/responses/Unauthorized"), responses.get("401"), operation.toString());
            assertEquals(Map.of("$ref", "#/components/responses/InternalError"), responses.get("500"), operation.toString());
            assertTrue(operation.definition().get("operationId") instanceof String, operation.toString());
        }
        assertEquals(List.of(Map.of("bearerAuth", List.of())), DOCUMENT.root().get("security"));
        assertEquals("3.1.0", DOCUMENT.root().get("openapi"));
    }

    @Test
    void webhookDeliveriesConformToTheDocumentedDelivery() {
        Map<String, Object> post = OpenApiDocument.map(DOCUMENT.deref(Map.of("$ref", "#/components/pathItems/TaskFinishedDelivery")).get("post"));
        Object payloadSchema = OpenApiDocument.map(OpenApiDocument.map(OpenApiDocument.map(
                OpenApiDocument.map(post.get("requestBody")).get("content")).get("application/json"))).get("schema");
        Map<String, Object> headerSchemas = new TreeMap<>();
        for (Object p : (List<?>) post.get("parameters")) {
            Map<String, Object> parameter = OpenApiDocument.map(p);
            headerSchemas.put((String) parameter.get("name"), parameter.get("schema"));
        }
        Instant now = Instant.now();
        Task queued = Task.create(TaskIds.create().newId(), "owner", "report.stock", null, Map.of("rows", 1L), now);
        Task running = queued.start("token", now, now.plusSeconds(60));
        List<Task> finished = List.of(
                running.succeed(new TaskResult("text/csv; charset=utf-8", 10), now, Duration.ofHours(1)),
                running.fail(new TaskError("job-error", "boom"), now, Duration.ofHours(1)),
                queued.requestCancel(now, Duration.ofHours(1)),
                running.requestCancel(now, Duration.ofHours(1)).confirmCancelled(now, Duration.ofHours(1)));
        List<String> errors = new ArrayList<>();
        for (Task task : finished) {
            WebhookEvent event = WebhookEvent.forStatus(task.status());
            String body = WebhookPayload.of(event, task);
            errors.addAll(prefixed(event + " body", DOCUMENT.validator().validate(payloadSchema, Json.parse(body))));
            for (String subscription : List.of(TaskIds.create().newId(), Delivery.CALLBACK)) {
                Map<String, String> headers = new WebhookSigner(WebhookSecret.generate())
                        .headers(Delivery.webhookId(task.id(), subscription), now, body);
                assertEquals(headerSchemas.keySet(), new TreeSet<>(headers.keySet()));
                headers.forEach((name, value) -> errors.addAll(
                        prefixed(event + " header " + name, DOCUMENT.validator().validate(headerSchemas.get(name), value))));
            }
        }
        assertEquals(List.of(), errors);
    }

    private static Map<String, Integer> problemCodesInSources() {
        Path root = TestCloud.templatePath().toAbsolutePath().getParent();
        Map<String, Integer> codes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root.resolve("functions"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")
                    && root.relativize(p).toString().replace('\\', '/').matches("functions/[^/]+/src/main/.*")).toList()) {
                Matcher m = PROBLEM.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    Integer status = STATUS_OF_KIND.get(m.group(1));
                    assertTrue(status != null, "unknown Problem.Kind " + m.group(1) + " in " + file);
                    Integer earlier = codes.put(m.group(2), status);
                    assertTrue(earlier == null || earlier.equals(status),
                            m.group(2) + " is raised with two statuses: " + earlier + " and " + status);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return codes;
    }

    private static List<String> problemCodeEnum() {
        Map<String, Object> schemas = OpenApiDocument.map(OpenApiDocument.map(DOCUMENT.root().get("components")).get("schemas"));
        Map<String, Object> problem = OpenApiDocument.map(schemas.get("Problem"));
        Map<String, Object> code = OpenApiDocument.map(OpenApiDocument.map(problem.get("properties")).get("code"));
        return ((List<?>) code.get("enum")).stream().map(String::valueOf).toList();
    }

    /** For each code, the statuses of the problem responses whose schema restricts {@code code} to include it. */
    private static Map<String, Set<Integer>> documentedCodesByStatus() {
        Map<String, Set<Integer>> byCode = new TreeMap<>();
        for (OpenApiDocument.Operation operation : DOCUMENT.operations()) {
            operation.responses().forEach((status, response) -> {
                Object content = DOCUMENT.deref(response).get("content");
                if (content == null) {
                    return;
                }
                Object media = OpenApiDocument.map(content).get("application/problem+json");
                if (media == null) {
                    return;
                }
                for (String code : restrictedCodes(OpenApiDocument.map(media).get("schema"))) {
                    byCode.computeIfAbsent(code, c -> new TreeSet<>()).add(Integer.parseInt(String.valueOf(status)));
                }
            });
        }
        return byCode;
    }

    private static List<String> restrictedCodes(Object schema) {
        List<String> codes = new ArrayList<>();
        Map<String, Object> s = OpenApiDocument.map(schema);
        if (s.get("allOf") instanceof List<?> branches) {
            for (Object branch : branches) {
                Map<String, Object> b = OpenApiDocument.map(branch);
                if (b.get("properties") instanceof Map<?, ?> properties && properties.get("code") instanceof Map<?, ?> code) {
                    if (code.containsKey("const")) {
                        codes.add(String.valueOf(code.get("const")));
                    }
                    if (code.get("enum") instanceof List<?> values) {
                        values.forEach(v -> codes.add(String.valueOf(v)));
                    }
                }
            }
        }
        return codes;
    }

    private interface Visitor {
        void visit(Map<String, Object> node, String where);
    }

    private static void walk(Object node, String where, Visitor visitor) {
        if (node instanceof Map<?, ?> m) {
            visitor.visit(OpenApiDocument.map(m), where);
            m.forEach((k, v) -> walk(v, where + "/" + k, visitor));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                walk(l.get(i), where + "/" + i, visitor);
            }
        }
    }

    private static List<String> prefixed(String where, List<String> errors) {
        return errors.stream().map(e -> where + ": " + e).toList();
    }
}
