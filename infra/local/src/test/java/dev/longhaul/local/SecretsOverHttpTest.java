package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.webhook.WebhookSecret;
import dev.longhaul.local.iam.IamRecorder;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 14, item 2, over HTTP with IAM enforced: a webhook subscription's signing secret and the
 * page-token key are sealed with the template's KMS key by the API (kms:GenerateDataKey and
 * kms:Decrypt on that key's ARN, with the table as encryption context, as template.yaml grants),
 * the secret is shown once at creation and a page token signed under the sealed key continues the
 * listing, and neither secret is in the table in plaintext.
 */
class SecretsOverHttpTest {
    private final LocalCloud cloud = TestClouds.longhaul();
    private final URI base = cloud.baseUrl();

    @Test
    void aWebhookSecretAndThePageTokenKeyAreSealedWithTheTemplatesKeyUnderIam() {
        String owner = "sealed-" + System.nanoTime();
        String token = Http.token(owner);
        HttpResponse<String> subscribed = Http.postJson(base.resolve("/v1/webhooks"), token,
                // on loopback (the template's local defaults allow it); no task is cancelled, so nothing is sent
                "{\"url\":\"http://127.0.0.1:9/" + owner + "\",\"events\":[\"task.cancelled\"]}");
        assertEquals(201, subscribed.statusCode(), subscribed.body());
        String secret = (String) Json.parseObject(subscribed.body()).get("secret");
        assertNotNull(secret, subscribed.body());
        HttpResponse<String> listedHooks = Http.get(base.resolve("/v1/webhooks"), token);
        assertEquals(200, listedHooks.statusCode(), listedHooks.body());
        assertTrue(listedHooks.body().contains("127.0.0.1:9/" + owner), listedHooks.body());
        assertFalse(listedHooks.body().contains(secret), "shown once, at creation: " + listedHooks.body());

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> created = Http.postJson(base.resolve("/v1/tasks"), token,
                    "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1}}");
            assertEquals(202, created.statusCode(), created.body());
        }
        HttpResponse<String> first = Http.get(base.resolve("/v1/tasks?pageSize=1"), token);
        assertEquals(200, first.statusCode(), first.body());
        String pageToken = (String) Json.parseObject(first.body()).get("nextPageToken");
        assertNotNull(pageToken, first.body());
        HttpResponse<String> second = Http.get(base.resolve("/v1/tasks?pageSize=1&pageToken="
                + URLEncoder.encode(pageToken, StandardCharsets.UTF_8)), token);
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(1, ((List<?>) Json.parseObject(second.body()).get("tasks")).size(), second.body());

        // the token names the version of the key that signed it; that version is stored sealed
        String keyVersion = "key#page-token#" + pageToken.substring(0, pageToken.indexOf('.'));
        Map<String, AttributeValue> version = item(keyVersion);
        assertTrue(version.containsKey("sealed") && version.get("sealed").hasM(), keyVersion + ": " + version);
        assertEquals(cloud.stack().attribute("SecretsKey", "Arn"), version.get("sealed").m().get("keyArn").s());

        String base64Key = Base64.getEncoder().encodeToString(WebhookSecret.key(secret));
        for (Map<String, AttributeValue> item : cloud.backend().dynamoDb()
                .scan(scan -> scan.tableName(cloud.stack().physicalId("TasksTable")).consistentRead(true)).items()) {
            String text = item.toString();
            assertFalse(text.contains(secret) || text.contains(base64Key),
                    "item " + item.get("id").s() + " holds the webhook secret in plaintext");
            assertFalse(item.containsKey("secret"), "item " + item.get("id").s() + " has a plaintext secret attribute");
        }

        // the KMS calls went through the local cloud's IAM check, and the API's role allowed them
        List<IamRecorder.Check> kms = TestClouds.IAM_CALLS.checks().stream()
                .filter(check -> check.functionId().equals("ApiFunction") && check.action().startsWith("kms:"))
                .toList();
        assertTrue(kms.stream().anyMatch(check -> check.action().equals("kms:GenerateDataKey")), kms.toString());
        assertTrue(kms.stream().allMatch(check -> check.allowed() && check.resource().equals("SecretsKey")),
                kms.toString());
    }

    private Map<String, AttributeValue> item(String id) {
        return cloud.backend().dynamoDb().getItem(get -> get.tableName(cloud.stack().physicalId("TasksTable"))
                .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
    }
}
