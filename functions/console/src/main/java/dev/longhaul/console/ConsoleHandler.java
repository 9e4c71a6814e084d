package dev.longhaul.console;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.longhaul.core.config.Environment;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The console's Lambda, behind the open routes {@code GET /console} and {@code GET /console/{proxy+}}
 * (payload format 2.0). It only serves the files in its jar: no AWS call, no IAM grant.
 */
public final class ConsoleHandler implements RequestStreamHandler {

    private final ConsoleSite site;

    /** What Lambda calls. */
    public ConsoleHandler() {
        this(System.getenv());
    }

    /** What the local cloud and the tests call, with the variables template.yaml gives the function. */
    public ConsoleHandler(Map<String, String> environment) {
        this.site = new ConsoleSite(ConsoleConfig.from(Environment.of(environment)));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonObject event = JsonObject.of(Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8)));
        JsonObject http = event.object("requestContext") == null ? null : event.object("requestContext").object("http");
        String method = http == null || http.string("method") == null ? "GET" : http.string("method");
        String path = event.string("rawPath") == null ? "/" : event.string("rawPath");
        JsonObject headers = event.object("headers");
        String ifNoneMatch = headers == null ? null : headers.string("if-none-match");
        ConsoleSite.Response response = site.serve(method.toUpperCase(Locale.ROOT), path, ifNoneMatch);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("statusCode", response.status());
        result.put("headers", response.headers());
        result.put("body", response.body());
        result.put("isBase64Encoded", false);
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }
}
