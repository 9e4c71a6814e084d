package dev.longhaul.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.job.Parameter;
import dev.longhaul.core.job.Parameters;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.SampleEvents;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/task-types} through the API handler as Lambda runs it, wired from the template's environment. */
class TaskTypeRoutesTest {
    private static TestCloud cloud;
    private static ApiInvoker api;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        api = new ApiInvoker(new ApiHandler(cloud.environment("ApiFunction")));
    }

    private static Map<String, Object> listTypes() {
        return SampleEvents.load("api-list-task-types.json");
    }

    private static Map<String, Object> withHeader(Map<String, Object> event, String name, String value) {
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) event.get("headers");
        headers.put(name, value);
        return event;
    }

    @Test
    void listsEveryTypeWithItsSchemaDescriptionContentTypeAndResumability() {
        ApiInvoker.Response response = api.invoke(listTypes());
        assertEquals(200, response.status(), response.body());
        assertEquals("application/json", response.header("Content-Type"));
        assertEquals("private, max-age=300", response.header("Cache-Control"));
        assertTrue(response.header("ETag").matches("\"[0-9a-f]{32}\""), response.header("ETag"));

        List<Object> types = response.json().list("types");
        assertEquals(List.of("demo.sleep", "demo.fail", "report.stock", "batch"),
                types.stream().map(t -> ((Map<?, ?>) t).get("type")).toList());
        assertEquals(Json.parse("""
                {"type": "report.stock",
                 "description": "A synthetic stock-by-store report (product, store, stock, reserve, inTransit), streamed to the result as it is made; the same bytes for the same seed. CSV by default, JSON with format=json.",
                 "contentType": "text/csv; charset=utf-8",
                 "parameters": {
                   "$schema": "https://json-schema.org/draft/2020-12/schema",
                   "type": "object",
                   "properties": {
                     "rows": {"type": "integer", "description": "How many rows the report has.",
                              "minimum": 1, "maximum": 10000000},
                     "format": {"type": "string",
                                "description": "csv: comma-separated with a header row (text/csv; charset=utf-8); json: an array of row objects (application/json).",
                                "enum": ["csv", "json"], "default": "csv"},
                     "seed": {"type": "integer", "description": "The same seed gives the same bytes.",
                              "minimum": -9223372036854775808, "maximum": 9223372036854775807, "default": 0}},
                   "required": ["rows"],
                   "additionalProperties": false},
                 "resumable": true}
                """), types.get(2));
        Map<?, ?> sleep = (Map<?, ?>) types.get(0);
        assertEquals(List.of("seconds"), ((Map<?, ?>) sleep.get("parameters")).get("required"));
        assertEquals(false, sleep.get("resumable"));
        assertEquals("application/json", sleep.get("contentType"));
    }

    @Test
    void theAnswerRevalidatesWithItsETag() {
        ApiInvoker.Response first = api.invoke(listTypes());
        String etag = first.header("ETag");
        assertEquals(first.body(), api.invoke(listTypes()).body());
        assertEquals(etag, api.invoke(listTypes()).header("ETag"), "the same types, the same tag");

        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            ApiInvoker.Response notModified = api.invoke(withHeader(listTypes(), "if-none-match", ifNoneMatch));
            assertEquals(304, notModified.status(), ifNoneMatch);
            assertEquals("", notModified.body());
            assertEquals(etag, notModified.header("ETag"));
            assertEquals("private, max-age=300", notModified.header("Cache-Control"));
        }
        ApiInvoker.Response changed = api.invoke(withHeader(listTypes(), "if-none-match", "\"0123456789abcdef0123456789abcdef\""));
        assertEquals(200, changed.status());
        assertEquals(first.body(), changed.body());
    }

    @Test
    void demoTypesAreNotListedWhereTheDeploymentLeavesThemOut() {
        Map<String, String> environment = new HashMap<>(cloud.environment("ApiFunction"));
        environment.put("ENABLE_DEMO_JOBS", "false");
        ApiInvoker withoutDemos = new ApiInvoker(new ApiHandler(environment));
        ApiInvoker.Response response = withoutDemos.invoke(listTypes());
        assertEquals(200, response.status());
        assertEquals(List.of("report.stock", "batch"),
                response.json().list("types").stream().map(t -> ((Map<?, ?>) t).get("type")).toList());
        // a batch offers the types the deployment accepts, and no other
        Map<?, ?> batch = (Map<?, ?>) response.json().list("types").get(1);
        Map<?, ?> tasks = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) batch.get("parameters")).get("properties")).get("tasks");
        List<?> branches = (List<?>) ((Map<?, ?>) tasks.get("items")).get("oneOf");
        assertEquals(List.of("report.stock"), branches.stream()
                .map(b -> ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) b).get("properties")).get("type")).get("const")).toList());
        assertNotEquals(api.invoke(listTypes()).header("ETag"), response.header("ETag"));
    }

    @Test
    void onlyGetIsRoutedAndASubjectIsRequired() {
        Map<String, Object> post = listTypes();
        @SuppressWarnings("unchecked")
        Map<String, Object> http = (Map<String, Object>) ((Map<String, Object>) post.get("requestContext")).get("http");
        http.put("method", "POST");
        ApiInvoker.Response refused = api.invoke(post);
        assertEquals(404, refused.status());
        assertEquals("route-not-found", refused.json().string("code"));

        Map<String, Object> anonymous = listTypes();
        ((Map<?, ?>) anonymous.get("requestContext")).remove("authorizer");
        ApiInvoker.Response unauthorized = api.invoke(anonymous);
        assertEquals(401, unauthorized.status());
        assertEquals("no-store", unauthorized.header("Cache-Control"), "a problem is never cached");
    }

    @Test
    void theSchemasAreBuiltOnTheFirstRequestNotAtColdStartAndOnlyOnce() {
        AtomicInteger described = new AtomicInteger();
        TaskTypeRoutes routes = new TaskTypeRoutes(JobRegistry.empty().register(new CountingJob(described)));
        assertEquals(0, described.get(), "nothing is built when the function starts");
        HttpRequest get = new HttpRequest("GET", TaskTypeRoutes.PATH, Map.of(), Map.of(), new byte[0], "owner", "r1");
        HttpResponse first = routes.route(get);
        int built = described.get();
        assertTrue(built > 0);
        routes.route(get);
        assertEquals(built, described.get(), "the second request reuses the first's answer");
        assertEquals(Json.parse("""
                {"types": [{"type": "test.counted", "description": "Counts.", "contentType": "text/plain",
                  "parameters": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                    "properties": {"loud": {"type": "boolean", "default": false}}, "required": [],
                    "additionalProperties": false},
                  "resumable": false}]}
                """), Json.parse(first.body()));
    }

    /** A job that counts how often its parameters are asked for. */
    private static final class CountingJob implements Job {
        private final AtomicInteger asked;

        CountingJob(AtomicInteger asked) {
            this.asked = asked;
        }

        @Override
        public String type() {
            return "test.counted";
        }

        @Override
        public String description() {
            return "Counts.";
        }

        @Override
        public Parameters parameters() {
            asked.incrementAndGet();
            return Parameters.of(Parameter.bool("loud").withDefault(false));
        }

        @Override
        public String contentType(Map<String, Object> parameters) {
            return "text/plain";
        }

        @Override
        public void run(Map<String, Object> parameters, JobContext context) {
            throw new UnsupportedOperationException();
        }
    }
}
