package dev.longhaul.console;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.longhaul.core.config.Environment;
import dev.longhaul.lambda.LambdaEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
        LambdaEvents.write(handle(LambdaEvents.read(input, APIGatewayV2HTTPEvent.class)), output);
    }

    /** The typed entry: one HTTP API (payload 2.0) request for a file of the console. */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext.Http http =
                event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
        String method = http == null || http.getMethod() == null ? "GET" : http.getMethod();
        String path = event.getRawPath() == null ? "/" : event.getRawPath();
        String ifNoneMatch = null;
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
                if (header.getKey().equalsIgnoreCase("if-none-match")) {
                    ifNoneMatch = header.getValue();
                }
            }
        }
        ConsoleSite.Response response = site.serve(method.toUpperCase(Locale.ROOT), path, ifNoneMatch);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
