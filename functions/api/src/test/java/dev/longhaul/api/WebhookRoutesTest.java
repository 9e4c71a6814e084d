package dev.longhaul.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.testing.SampleEvents;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /v1/webhooks} through the API handler, on DynamoDB Local, with the production SSRF guard. */
class WebhookRoutesTest {
    private static final String TARGET = "https://93.184.216.34/longhaul";
    private static TestCloud cloud;
    private static ApiInvoker api;

    @BeforeAll
    static void start() {
        cloud = TestCloud.get();
        api = new ApiInvoker(new ApiHandler(cloud.environment("ApiFunction")));
    }

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    private static Map<String, Object> as(String owner, Map<String, Object> event) {
        return Json.parseObject(Json.write(event).replace("\"sub\":\"user-alice\"", "\"sub\":\"" + owner + "\""));
    }

    private static ApiInvoker.Response create(String owner, String body) {
        return api.invoke(as(owner, SampleEvents.withBody("api-create-webhook.json", body)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String owner) {
        ApiInvoker.Response response = api.invoke(as(owner, SampleEvents.load("api-list-webhooks.json")));
        assertEquals(200, response.status(), response.body());
        return (List<Map<String, Object>>) (List<?>) response.json().list("webhooks");
    }

    @Test
    void createAnswers201WithTheSecretOnceAndListNeverShowsIt() {
        ApiInvoker.Response created = create("user-alice", "{\"url\":\"" + TARGET + "\",\"events\":[\"task.failed\"]}");
        assertEquals(201, created.status(), created.body());
        JsonObject body = created.json();
        String id = body.string("id");
        assertTrue(TaskIds.isWellFormed(id));
        assertEquals("/v1/webhooks/" + id, created.header("Location"));
        assertEquals(TARGET, body.string("url"));
        assertEquals(List.of("task.failed"), body.list("events"));
        assertTrue(body.string("secret").startsWith("whsec_"));

        List<Map<String, Object>> listed = list("user-alice");
        assertEquals(1, listed.size());
        assertEquals(id, listed.get(0).get("id"));
        assertFalse(listed.get(0).containsKey("secret"));
        assertFalse(Json.write(listed).contains(body.string("secret")));
        assertEquals(List.of(), list("user-bob"));
        assertEquals(0, cloud.taskCount(), "subscriptions are not tasks: the task listing never sees them");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.216.34/x", "https://127.0.0.1/x", "https://localhost/x",
        "https://169.254.169.254/latest/meta-data", "https://[::1]/x", "https://10.0.0.1/x", "https://[fd00:ec2::254]/"})
    void refusedTargetsAre400ProblemsNamingUrl(String url) {
        ApiInvoker.Response response = create("user-alice", "{\"url\":\"" + url + "\"}");
        assertEquals(400, response.status(), response.body());
        assertEquals("application/problem+json", response.header("Content-Type"));
        assertEquals("webhook-target-refused", response.json().string("code"));
        assertEquals("url", JsonObject.of(castMap(response.json().list("errors").get(0))).string("field"));
        assertEquals(List.of(), list("user-alice"));
    }

    /** The guard's reason reaches the client in the 400's detail and its errors, for a webhook and a callback. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        https://[64:ff9b:1::a9fe:a9fe]/     | resolves to a local-use NAT64 address (64:ff9b:1::/48), which is not allowed
        https://[::ffff:0:7f00:1]/          | resolves to an IPv4-translated address (::ffff:0:0:0/96), which is not allowed
        https://[64:ff9b::a9fe:a9fe]/       | resolves to a cloud metadata address (169.254.169.254/32) embedded in a NAT64 address (64:ff9b::/96), which is not allowed
        https://[2001::1]/                  | resolves to a Teredo address (2001::/32), which is not allowed
        https://[100::1]/                   | resolves to a discard-only address (100::/64), which is not allowed
        https://[2001:db8::1]/              | resolves to a documentation address (2001:db8::/32), which is not allowed
        https://192.0.2.1/                  | resolves to a documentation address (192.0.2.0/24), which is not allowed
        https://198.51.100.1/               | resolves to a documentation address (198.51.100.0/24), which is not allowed
        https://203.0.113.1/                | resolves to a documentation address (203.0.113.0/24), which is not allowed
        https://[2002:a9fe:a9fe::1]/        | resolves to a cloud metadata address (169.254.169.254/32) embedded in a 6to4 address (2002::/16), which is not allowed
        https://93.184.216.34:8443/         | must use port 443
        """)
    void theRefusalReasonIsTheProblemDetail(String url, String reason) {
        ApiInvoker.Response webhook = create("user-alice", "{\"url\":\"" + url + "\"}");
        assertRefused(webhook, "url", reason);
        assertEquals(List.of(), list("user-alice"));

        ApiInvoker.Response task = api.invoke(SampleEvents.withBody("api-create-task.json",
                "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1},\"callbackUrl\":\"" + url + "\"}"));
        assertRefused(task, "callbackUrl", reason);
        assertEquals(0, cloud.taskCount(), "nothing stored for a refused callback");
    }

    private static void assertRefused(ApiInvoker.Response response, String field, String reason) {
        ProblemResponses.assertProblem(response, 400, "webhook-target-refused");
        assertEquals(field + " " + reason + ".", response.json().string("detail"));
        assertEquals(Map.of("field", field, "message", reason), castMap(response.json().list("errors").get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[\"task.started\"]", "\"task.failed\"", "[42]"})
    void badEventListsAre400(String events) {
        ApiInvoker.Response response = create("user-alice", "{\"url\":\"" + TARGET + "\",\"events\":" + events + "}");
        assertEquals(400, response.status(), response.body());
        assertEquals("invalid-request", response.json().string("code"));
        assertEquals("events", JsonObject.of(castMap(response.json().list("errors").get(0))).string("field"));
    }

    @Test
    void malformedBodiesAre400() {
        assertEquals("invalid-body", create("user-alice", "not json").json().string("code"));
        assertEquals("invalid-request", create("user-alice", "{\"url\":\"" + TARGET + "\",\"x\":1}").json().string("code"));
    }

    @Test
    void deleteAnswers204AndAnotherOwnersIs404() {
        String id = create("user-alice", "{\"url\":\"" + TARGET + "\"}").json().string("id");
        ApiInvoker.Response bobs = api.invoke(as("user-bob", SampleEvents.forTask("api-delete-webhook.json", id)));
        assertEquals(404, bobs.status());
        assertEquals("webhook-not-found", bobs.json().string("code"));
        assertEquals(1, list("user-alice").size());

        ApiInvoker.Response deleted = api.invoke(SampleEvents.forTask("api-delete-webhook.json", id));
        assertEquals(204, deleted.status());
        assertEquals(List.of(), list("user-alice"));
        assertEquals(404, api.invoke(SampleEvents.forTask("api-delete-webhook.json", id)).status());
        assertEquals(404, api.invoke(SampleEvents.forTask("api-delete-webhook.json", "x%23y")).status());
    }

    @Test
    void anOwnerHasAtMost25Webhooks() {
        for (int i = 0; i < 25; i++) {
            assertEquals(201, create("user-alice", "{\"url\":\"" + TARGET + "/" + i + "\"}").status());
        }
        ApiInvoker.Response refused = create("user-alice", "{\"url\":\"" + TARGET + "/26\"}");
        assertEquals(409, refused.status());
        assertEquals("webhook-limit-reached", refused.json().string("code"));
        assertEquals(25, list("user-alice").size());
    }

    @Test
    void otherMethodsAndPathsAreNotRoutes() {
        Map<String, Object> put = SampleEvents.load("api-list-webhooks.json");
        castMap(castMap(put.get("requestContext")).get("http")).put("method", "PUT");
        assertEquals("route-not-found", api.invoke(put).json().string("code"));
        Map<String, Object> deep = SampleEvents.load("api-list-webhooks.json");
        deep.put("rawPath", "/v1/webhooks/a/b");
        assertEquals(404, api.invoke(deep).status());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
