package dev.longhaul.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonException;
import dev.longhaul.core.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Property-based fuzzing of the API, through the real handler on the emulators: thousands of
 * malformed requests (broken JSON, wrong types, huge values, deep nesting, bad unicode, path
 * tricks, header and query abuse, oversized and mis-encoded bodies, wrong methods), each as
 * API Gateway could deliver it. Properties: never a 5xx; every 4xx is
 * {@code application/problem+json} with type, title, status, detail and code; and nothing is
 * stored or enqueued for a rejected request (checked as it runs and at the end). A few edge
 * values are valid after all ({@code "rows": 1e2}, {@code "seconds": -0}, an empty message):
 * those are accepted and counted, and the table and queue must hold exactly them.
 *
 * <p>Seeded: {@code -Dlonghaul.fuzz.seed=N} replays a run, {@code -Dlonghaul.fuzz.requests=N}
 * sizes it.
 */
class ApiFuzzTest {
    private static final String TASKS = "/v1/tasks";
    private static final String CHECKED_EVERY = "500";

    private final Random random = new Random(Long.getLong("longhaul.fuzz.seed", 5_000L));
    private final List<String> longOwners = new ArrayList<>();

    @Test
    void malformedRequestsNeverGetA5xxAlwaysGetAProblemAndStoreNothing() {
        int requests = Integer.getInteger("longhaul.fuzz.requests", 10_000);
        int checkEvery = Integer.parseInt(System.getProperty("longhaul.fuzz.checkEvery", CHECKED_EVERY));
        TestCloud cloud = TestCloud.get();
        cloud.reset();
        ApiHandler handler = new ApiHandler(cloud.environment("ApiFunction"));

        List<Function<Random, Map<String, Object>>> generators = List.of(
                this::brokenJson, this::wrongTypes, this::hugeValues, this::deepNesting, this::badUnicode,
                this::pathTricks, this::headerAbuse, this::queryAbuse, this::oversizedBody, this::badBase64,
                this::wrongMethod, this::unauthenticated, this::extremeClaims, this::longSubjects);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> codes = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        int accepted = 0;
        long started = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            int kind = i % generators.size();
            Map<String, Object> event = generators.get(kind).apply(random);
            Response response = invoke(handler, event);
            statuses.merge(response.status(), 1, Integer::sum);
            if (response.status() == 202 && !"true".equals(response.headers().get("Idempotent-Replayed"))) {
                accepted++;
            }
            String violation = violation(response);
            if (violation != null) {
                codes.merge("violation", 1, Integer::sum);
                if (violations.size() < 20) {
                    violations.add(violation + "\n  request: " + abbreviate(Json.write(event), 600));
                }
            } else if (response.status() >= 400) {
                codes.merge(response.problemCode(), 1, Integer::sum);
            }
            if ((i + 1) % checkEvery == 0 || i == requests - 1) {
                assertEquals(accepted, cloud.taskCount(), "tasks stored after " + (i + 1) + " requests");
                assertEquals(accepted, cloud.queueDepth(), "messages enqueued after " + (i + 1) + " requests");
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "fuzz: requests=%d accepted=%d elapsed=%.1fs statuses=%s%n",
                requests, accepted, seconds, statuses);
        System.out.println("fuzz: problem codes=" + codes);

        assertTrue(violations.isEmpty(), violations.size() + " of the first violations:\n"
                + String.join("\n", violations));
        assertEquals(0, cloud.objectCount(), "result objects written");
    }

    /** Why the response breaks a property, or null. */
    private static String violation(Response response) {
        int status = response.status();
        if (status >= 500) {
            return "a " + status + ": " + abbreviate(response.body(), 400);
        }
        if (status < 400) {
            return null;
        }
        if (!"application/problem+json".equals(response.headers().get("Content-Type"))) {
            return "a " + status + " with Content-Type " + response.headers().get("Content-Type");
        }
        Map<String, Object> problem;
        try {
            problem = Json.parseObject(response.body());
        } catch (JsonException e) {
            return "a " + status + " whose body is not a JSON object: " + abbreviate(response.body(), 200);
        }
        for (String field : List.of("type", "title", "detail", "code")) {
            if (!(problem.get(field) instanceof String) || ((String) problem.get(field)).isEmpty()) {
                return "a " + status + " problem without " + field + ": " + problem;
            }
        }
        if (!(problem.get("status") instanceof Number) || ((Number) problem.get("status")).intValue() != status) {
            return "a " + status + " problem with status " + problem.get("status");
        }
        return null;
    }

    // ---- generators: each returns one payload 2.0 event, as API Gateway delivers it ----

    private Map<String, Object> brokenJson(Random r) {
        String valid = validBody(r);
        String body;
        switch (r.nextInt(14)) {
            case 0 -> body = valid.substring(0, r.nextInt(valid.length()));
            case 1 -> body = valid.replaceFirst("\\}$", ",}");
            case 2 -> body = valid.replace('"', '\'');
            case 3 -> body = "/* comment */" + valid;
            case 4 -> body = valid.replaceFirst("\\{", "{\"n\":NaN,");
            case 5 -> body = pick(r, "[]", "[" + valid + "]", "\"text\"", "42", "null", "true", "", " ", "\t\n");
            case 6 -> body = "\uFEFF" + valid;
            case 7 -> body = valid + valid;
            case 8 -> body = "{\"type\":\"demo.sleep\",\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0}}";
            case 9 -> body = "{\"type\" \"demo.sleep\"}";
            case 10 -> body = "{type: \"demo.sleep\"}";
            case 11 -> body = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0x10}}";
            case 12 -> body = randomText(r, 1 + r.nextInt(200));
            default -> body = valid.replace(":", "=");
        }
        return create(body);
    }

    private Map<String, Object> wrongTypes(Random r) {
        Object[] wrong = {1, -1, 1.5, true, null, List.of(), List.of("demo.sleep"), Map.of(), "", "x"};
        Map<String, Object> body = new LinkedHashMap<>();
        switch (r.nextInt(12)) {
            case 0 -> body.put("type", pickObject(r, 1, true, List.of("demo.sleep"), Map.of("name", "demo.sleep"), ""));
            case 1 -> {
                body.put("type", "demo.sleep");
                body.put("parameters", pickObject(r, "seconds=0", List.of(0), 0, true));
            }
            case 2 -> {
                body.put("type", "demo.sleep");
                body.put("parameters", Map.of("seconds", pickObject(r, "0", "zero", 1.5, -1, 901, true, List.of(0),
                        Map.of("v", 0))));
            }
            case 3 -> {
                body.put("type", "demo.sleep");
                body.put("parameters", Map.of("seconds", 0, "steps", pickObject(r, 0, 101, -5, "3", 2.5, false)));
            }
            case 4 -> {
                body.put("type", "report.stock");
                body.put("parameters", Map.of("rows", pickObject(r, 0, 10_000_001, -1, "100", 1.25, List.of())));
            }
            case 5 -> {
                body.put("type", "report.stock");
                body.put("parameters", Map.of("rows", 10, "format", pickObject(r, "xml", "CSV", 1, "", List.of("csv"))));
            }
            case 6 -> {
                body.put("type", "demo.sleep");
                body.put("parameters", Map.of("seconds", 0));
                body.put("description", pickObject(r, 1, true, List.of("d"), Map.of("d", "d")));
            }
            case 7 -> {
                body.put("type", "demo.sleep");
                body.put("parameters", Map.of("seconds", 0, "unknown", 1));
            }
            case 8 -> {
                body.put("type", "demo.sleep");
                body.put("parameters", Map.of("seconds", 0));
                body.put(pick(r, "owner", "id", "status", "priority", "Type", ""), wrong[r.nextInt(wrong.length)]);
            }
            case 9 -> {
                body.put("type", "demo.sleep");
                body.put("parameters", Map.of("seconds", 0));
                body.put("callbackUrl", pickObject(r, 1, "not a url", "http://127.0.0.1/hook", "file:///etc/passwd",
                        "https://169.254.169.254/latest/meta-data", "https://localhost/x", "ftp://example.com/",
                        "https://user:pass@[::1]/", List.of("https://example.com"), "https://[64:ff9b:1::a9fe:a9fe]/",
                        "https://[::ffff:0:7f00:1]/", "https://[2001::1]/", "https://[100::1]/", "https://192.0.2.1/",
                        "https://[2001:db8::1]/", "https://93.184.216.34:8443/", "https://[2002:a9fe:a9fe::1]/"));
            }
            case 10 -> {
                body.put("type", "demo.fail");
                body.put("parameters", Map.of("message", pickObject(r, 1, "", "m".repeat(1001), List.of())));
            }
            default -> body.put("parameters", Map.of("seconds", 0));
        }
        return create(Json.write(body));
    }

    private Map<String, Object> hugeValues(Random r) {
        String number = pick(r, "1e400", "-1e400", "123456789012345678901234567890", "9223372036854775808",
                "-9223372036854775809", "1" + "0".repeat(99), "1" + "0".repeat(150), "0." + "0".repeat(200) + "1",
                "-0", "1E+999999999", "4.9e-325", "900.0000000000000000001", "1e2");
        String body;
        switch (r.nextInt(5)) {
            case 0 -> body = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":" + number + "}}";
            case 1 -> body = "{\"type\":\"report.stock\",\"parameters\":{\"rows\":" + number + "}}";
            case 2 -> body = "{\"type\":\"report.stock\",\"parameters\":{\"rows\":" + number + ",\"seed\":" + number + "}}";
            case 3 -> body = "{\"type\":\"" + "demo.sleep".repeat(1 + r.nextInt(5000)) + "\"}";
            default -> body = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"description\":\""
                    + "d".repeat(1025 + r.nextInt(60_000)) + "\"}";
        }
        return create(body);
    }

    private Map<String, Object> deepNesting(Random r) {
        int depth = pickInt(r, 63, 64, 65, 100, 1000, 30_000);
        String open = r.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String nested = open.repeat(depth) + "0" + close.repeat(depth);
        String body = switch (r.nextInt(3)) {
            case 0 -> nested;
            case 1 -> "{\"type\":\"demo.sleep\",\"parameters\":" + (open.equals("[") ? "{\"x\":" + nested + "}" : nested)
                    + "}";
            default -> "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"description\":" + nested + "}";
        };
        return create(body.length() > TaskApi.MAX_BODY_BYTES ? body.substring(0, TaskApi.MAX_BODY_BYTES) : body);
    }

    private Map<String, Object> badUnicode(Random r) {
        switch (r.nextInt(8)) {
            case 0:
                return create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"description\":\""
                        + pick(r, "\\ud800", "\\udfff", "\\ud800\\u0041", "\\udc00\\ud800", "\\u0000", "\\u00",
                        "\\uZZZZ", "\\x41", "\\", "\\'") + "\",\"bad\":1}");
            case 1:
                return create("{\"type\":\"demo.sl\u0000eep\",\"parameters\":{\"seconds\":0}}");
            case 2:
                return create("{\"type\":\"" + pick(r, "demo\u2024sleep", "dem\u043E.sleep", "demo.sleep\u200B",
                        "\u202Edemo.sleep", "DEMO.SLEEP", "demo.sleep ", "\uD83D\uDE00") + "\"}");
            case 3:
                // a lone surrogate in the raw body: it reaches the handler as bytes that are not UTF-8
                return createBase64(new byte[] {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xED, (byte) 0xA0,
                        (byte) 0x80, '"', '}'});
            case 4:
                // overlong encoding of '/' and an invalid continuation byte
                return createBase64(("{\"type\":\"demo.sleep\",\"description\":\"" + "\"}").getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0x80});
            case 5:
                return createBase64(randomBytes(r, 1 + r.nextInt(300)));
            case 6:
                return create("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"\u0000\":1}}");
            default:
                return create("{\"t\u0000ype\":\"demo.sleep\"}");
        }
    }

    private Map<String, Object> pathTricks(Random r) {
        String id = pick(r, "..%2f..%2fetc%2fpasswd", "..%2F", "%2e%2e", "..", ".", "%00", "%2F", "a%2Fb",
                "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2a%2F..", "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2", // one short
                "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2aa", "01KBDZQ0A0C9M3YQ7V5T2W8X4RHN6P3J5K2A",
                "0lkbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2a", "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2\u0430",
                "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2a\u0000", "x".repeat(10_000), "", " ", "%20", "*", "%",
                "%%", "%zz", "\uFF0E\uFF0E", "\u2215etc", "null", "undefined", "{id}", "$%7Bjndi:ldap://x/a%7D",
                "' OR '1'='1", "owner#user-alice", "idem#x", "key#deployment",
                TaskIdsLike.random(r), TaskIdsLike.random(r));
        String suffix = pick(r, "", "/", "/result", "/cancel", "/result/", "/cancel/x", "//result", "/../result",
                "/%2e%2e/result", "/RESULT", "/cancel%2F");
        String path = pick(r, TASKS + "/" + id + suffix, TASKS + "//" + id, "/v1/tasks/" + id + "/" + id,
                "/v1/" + id, "/" + id, "/v1/tasks" + id, "//v1/tasks", "/v1/tasks/./" + id, "/V1/TASKS",
                "/v1/tasks?x=1", "/v1/tasks#frag", "/v1/tasks;jsessionid=1", "/v1/webhooks/" + id,
                "/v1/webhooks/" + id + suffix);
        String method = pick(r, "GET", "GET", "DELETE", "POST", "POST");
        Map<String, Object> event = request(method, path);
        if (method.equals("POST")) {
            event.put("body", r.nextBoolean() ? "" : "{\"type\":");
        }
        return event;
    }

    private Map<String, Object> headerAbuse(Random r) {
        Map<String, Object> event;
        String header;
        String value;
        switch (r.nextInt(7)) {
            case 0 -> {
                event = create(validBody(r));
                header = pick(r, "idempotency-key", "Idempotency-Key", "IDEMPOTENCY-KEY");
                value = pick(r, "", " ", "k".repeat(256), "k".repeat(100_000 / 2), "key with spaces", "k\u0000ey",
                        "k\tey", "k\u00e9y", "\uD83D\uDE00", "\r\nX-Injected: 1", "k\u007f");
            }
            case 1 -> {
                // duplicated headers reach the function joined with commas; paired with a bad body
                event = create(r.nextBoolean() ? "{\"type\":1}" : "not json");
                header = "idempotency-key";
                value = "key-1,key-1" + ",key-2".repeat(r.nextInt(3));
            }
            case 2 -> {
                event = request("GET", TASKS + "/" + TaskIdsLike.random(r));
                header = "prefer";
                value = pick(r, "wait=999999999999", "wait=-1", "wait=", "wait=abc", "wait=1.5", "wait=10, wait=5",
                        "respond-async, wait=" + "9".repeat(200), "x".repeat(100_000), "wait=\u0661", ";;;,,,");
            }
            case 3 -> {
                event = request("GET", TASKS + "/" + TaskIdsLike.random(r));
                header = "if-none-match";
                value = pick(r, "*", "\"1\"", "W/\"1\"", "\"" + "9".repeat(5000) + "\"", ",".repeat(50_000), "W/",
                        "\"\u0000\"", "W/W/W/\"1\"", "");
            }
            case 4 -> {
                event = create(r.nextBoolean() ? "{\"type\":\"demo.sleep\",\"parameters\":\"x\"}" : "<xml/>");
                header = "content-type";
                value = pick(r, "text/plain", "application/json; charset=utf-16", "multipart/form-data; boundary=x",
                        "application/x-www-form-urlencoded", "", "application/json" + ";x=y".repeat(2000),
                        "\u0000");
            }
            case 5 -> {
                event = create("{\"type\":\"nope\"}");
                header = "x-" + "h".repeat(r.nextInt(8000));
                value = "v".repeat(r.nextInt(8000));
            }
            default -> {
                event = create(validBody(r));
                header = "idempotency-key";
                value = "\u00a0" + "k".repeat(r.nextInt(300));
            }
        }
        TaskEvents.withHeader(event, header, value);
        return event;
    }

    private Map<String, Object> queryAbuse(Random r) {
        Map<String, String> query = new LinkedHashMap<>();
        int params = 1 + r.nextInt(3);
        for (int i = 0; i < params; i++) {
            switch (r.nextInt(9)) {
                case 0 -> query.put("status", pick(r, "bogus", "QUEUED", "queued,running", "", "%00", "queued\u0000",
                        "s".repeat(10_000)));
                case 1 -> query.put("pageSize", pick(r, "-1", "0", "1000000000", "abc", "99999999999999999999", "1.5",
                        "1e3", "", " 10", "0x10", "\u0661\u0660"));
                case 2 -> query.put("pageToken", pick(r, "garbage", "", "a".repeat(10_000), "eyJ9", "====",
                        Base64.getUrlEncoder().encodeToString(randomBytes(r, 64)), "x.y.z", "%2F%2F"));
                case 3 -> query.put("createdAfter", pick(r, "yesterday", "2026-13-01T00:00:00Z",
                        "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2026-11-25", "0", "",
                        "2026-11-25T25:00:00Z", "9".repeat(500)));
                case 4 -> {
                    query.put("createdAfter", "2026-11-25T10:00:00Z");
                    query.put("createdBefore", pick(r, "2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z", "never"));
                    query.put("status", "nope");
                }
                case 5 -> query.put("type", pick(r, "t".repeat(100_000), "demo.sleep\u0000", "", "*"));
                case 6 -> query.put(pick(r, "limit", "owner", "sort", "", "STATUS", "status[]", "__proto__"), "1");
                case 7 -> query.put("pageToken", "x" + r.nextInt());
                default -> query.put("status", "running,queued,failed".repeat(1 + r.nextInt(50)));
            }
        }
        return TaskEvents.list(query);
    }

    private Map<String, Object> oversizedBody(Random r) {
        int size = TaskApi.MAX_BODY_BYTES + 1 + r.nextInt(r.nextInt(10) == 0 ? 4 << 20 : 4096);
        String prefix = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0},\"description\":\"";
        String body = prefix + "x".repeat(size - prefix.length() - 2) + "\"}";
        if (r.nextBoolean()) {
            return createBase64(body.getBytes(StandardCharsets.UTF_8));
        }
        return create(body);
    }

    private Map<String, Object> badBase64(Random r) {
        Map<String, Object> event = create(pick(r, "!!!!", "abc", "a", "====", "eyJ0eXBlIjoiZGVtby5zbGVlcCJ9===",
                "e y J 0", "\u00ff\u00fe", "eyJ0eXBlIjoiZGVtby5zbGVlcCJ9\n", "%7B%7D", "-_-_",
                Base64.getEncoder().encodeToString(validBody(r).getBytes(StandardCharsets.UTF_8)).replace('=', '*')));
        event.put("isBase64Encoded", true);
        return event;
    }

    private Map<String, Object> wrongMethod(Random r) {
        String method = pick(r, "PUT", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "", "GET ", "P0ST", "DELETE",
                "\u0000", "x".repeat(1000), "get");
        String path = pick(r, TASKS, TASKS + "/" + TaskIdsLike.random(r), TASKS + "/" + TaskIdsLike.random(r)
                + "/result", TASKS + "/" + TaskIdsLike.random(r) + "/cancel");
        Map<String, Object> event = request(method, path);
        if (method.equals("DELETE") && path.equals(TASKS)) {
            event.put("body", "{}");
        }
        event.put("body", r.nextBoolean() ? "{\"type\":\"nope\"}" : "");
        return event;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> unauthenticated(Random r) {
        Map<String, Object> event = create(validBody(r));
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        switch (r.nextInt(4)) {
            case 0 -> context.remove("authorizer");
            case 1 -> ((Map<String, Object>) ((Map<String, Object>) context.get("authorizer")).get("jwt")).remove("claims");
            case 2 -> claims(event).put("sub", pick(r, "", " ", "\t"));
            // API Gateway passes every claim as a string; a token may carry no sub at all
            default -> claims(event).remove("sub");
        }
        return event;
    }

    /**
     * The JWT's claims as API Gateway hands them over (strings), with time claims and subjects a
     * hostile identity provider or a forged token could carry; the API reads only {@code sub}.
     */
    private Map<String, Object> extremeClaims(Random r) {
        Map<String, Object> event = switch (r.nextInt(3)) {
            case 0 -> request("GET", TASKS + "/" + TaskIdsLike.random(r));
            case 1 -> TaskEvents.list(Map.of("pageSize", "1"));
            default -> create(r.nextBoolean() ? "{\"type\":\"nope\"}" : "not json");
        };
        Map<String, Object> claims = claims(event);
        String extreme = pick(r, "9223372036854775807", "-9223372036854775808", "1180591620717411303424", "1E+400",
                "-1e400", "1.5E+300", "NaN", "Infinity", "", " ", "[1 2]", "{\"n\":1}", "0x7fffffff", "\u0000");
        claims.put(pick(r, "exp", "nbf", "iat", "auth_time"), extreme);
        if (r.nextInt(4) == 0) {
            claims.put("sub", pick(r, "s".repeat(1 + r.nextInt(256)), "user\u0000alice", "\uD83D\uDE00",
                    "owner#user-alice", "key#deployment", "user-alice ", "USER-ALICE", longSubject(r)));
        }
        return event;
    }

    /**
     * Valid requests of owners whose subjects are past what DynamoDB takes in a key (2,048 bytes)
     * or an index's sort key (1,024), up to 400,000 characters, some with characters UTF-8 spells
     * in 3 or 4 bytes, {@code #} (the keys' separator), NUL or a lone surrogate: creates (some
     * replayed by their idempotency key), reads, listings, cancels, deletes and webhook
     * subscriptions. Each owner is one of a few, so the calls find what earlier ones stored.
     */
    private Map<String, Object> longSubjects(Random r) {
        if (longOwners.isEmpty()) {
            for (int i = 0; i < 6; i++) {
                longOwners.add(longSubject(r));
            }
        }
        String owner = longOwners.get(r.nextInt(longOwners.size()));
        String id = TaskIdsLike.random(r);
        Map<String, Object> event = switch (r.nextInt(9)) {
            case 0, 1 -> create(validBody(r));
            case 2 -> TaskEvents.withHeader(create(validBody(r)), "idempotency-key", "long-" + r.nextInt(3));
            case 3 -> TaskEvents.list(Map.of("pageSize", String.valueOf(1 + r.nextInt(3))));
            case 4 -> TaskEvents.get(id);
            case 5 -> r.nextBoolean() ? TaskEvents.cancel(id) : TaskEvents.delete(id);
            case 6 -> SampleEvents.withBody("api-create-webhook.json",
                    "{\"url\":\"https://93.184.216.34/hooks\",\"events\":[\"task.failed\"]}");
            case 7 -> SampleEvents.load("api-list-webhooks.json");
            default -> SampleEvents.forTask("api-delete-webhook.json", id);
        };
        return TaskEvents.as(owner, event);
    }

    private static String longSubject(Random r) {
        // up to HttpRequest.MAX_SUBJECT_CHARS they work; past it they are a 401, never a 5xx
        int length = pickInt(r, 256, 983, 1_024, 2_043, 2_049, 4_096, 10_000, 16_383, 16_385, 400_000);
        String alphabet = pick(r, "abcdefghijklmnopqrstuvwxyz0123456789-|", "世界é#", "\uD83D\uDE80a", "a\u0000#");
        int[] codePoints = alphabet.codePoints().toArray();
        StringBuilder subject = new StringBuilder(length + 1);
        while (subject.length() < length) {
            subject.appendCodePoint(codePoints[r.nextInt(codePoints.length)]);
        }
        if (r.nextInt(8) == 0) {
            subject.insert(r.nextInt(subject.length()), '\uD800');
        }
        return subject.toString();
    }

    // ---- building events ----

    private static Map<String, Object> create(String body) {
        return SampleEvents.withBody("api-create-task.json", body);
    }

    private static Map<String, Object> createBase64(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            bytes.writeBytes(part);
        }
        Map<String, Object> event = create(Base64.getEncoder().encodeToString(bytes.toByteArray()));
        event.put("isBase64Encoded", true);
        return event;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> request(String method, String path) {
        Map<String, Object> event = SampleEvents.load("api-get-task.json");
        event.put("rawPath", path);
        event.put("routeKey", "$default");
        Map<String, Object> http = (Map<String, Object>) ((Map<String, Object>) event.get("requestContext")).get("http");
        http.put("method", method);
        http.put("path", path);
        event.remove("body");
        return event;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(Map<String, Object> event) {
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) context.get("authorizer"))
                .get("jwt")).get("claims");
    }

    /** A body that would be accepted: the malformations are made from it. */
    private static String validBody(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1},\"description\":\"fuzz\"}";
            case 1 -> "{\"type\":\"report.stock\",\"parameters\":{\"rows\":10,\"format\":\"json\"}}";
            default -> "{\"type\":\"demo.fail\",\"parameters\":{\"message\":\"boom\"}}";
        };
    }

    /** Strings shaped like task ids (36 characters of the id alphabet) that name no task. */
    private static final class TaskIdsLike {
        private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

        static String random(Random r) {
            StringBuilder id = new StringBuilder(36);
            for (int i = 0; i < 36; i++) {
                id.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
            return id.toString();
        }
    }

    private static String randomText(Random r, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(10);
            if (kind < 6) {
                String json = "{}[]\":,\\ \n0123456789.-+eEtruefalsn";
                text.append(json.charAt(r.nextInt(json.length())));
            } else if (kind < 9) {
                text.append((char) (0x20 + r.nextInt(0x5f)));
            } else {
                text.append((char) r.nextInt(0x10000));
            }
        }
        return text.toString();
    }

    private static byte[] randomBytes(Random r, int length) {
        byte[] bytes = new byte[length];
        r.nextBytes(bytes);
        return bytes;
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static Object pickObject(Random r, Object... options) {
        return options[r.nextInt(options.length)];
    }

    private static int pickInt(Random r, int... options) {
        return options[r.nextInt(options.length)];
    }

    private static String abbreviate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "...(" + text.length() + " chars)";
    }

    // ---- invoking ----

    private record Response(int status, Map<String, Object> headers, String body) {
        String problemCode() {
            return String.valueOf(Json.parseObject(body).get("code"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Response invoke(ApiHandler handler, Map<String, Object> event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(event)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException | StackOverflowError e) {
            // Lambda would answer API Gateway with an error: the client sees a 502
            return new Response(502, Map.of(), "the function failed: " + e);
        }
        Map<String, Object> response = Json.parseObject(out.toString(StandardCharsets.UTF_8));
        return new Response(((Number) response.get("statusCode")).intValue(),
                (Map<String, Object>) response.get("headers"), (String) response.get("body"));
    }
}
