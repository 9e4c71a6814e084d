package dev.longhaul.api;

import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.usecase.Problem;
import dev.longhaul.core.usecase.ProblemException;
import dev.longhaul.core.webhook.ListWebhooks;
import dev.longhaul.core.webhook.SubscribeWebhook;
import dev.longhaul.core.webhook.Subscription;
import dev.longhaul.core.webhook.UnsubscribeWebhook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/webhooks}: subscribe ({@code POST}, the secret shown only in its answer), list
 * ({@code GET}, never a secret) and unsubscribe ({@code DELETE /v1/webhooks/{id}}).
 * {@link TaskApi} hands it every path under {@value #PATH} and renders its problems.
 */
public final class WebhookRoutes {
    public static final String PATH = "/v1/webhooks";
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final SubscribeWebhook subscribe;
    private final ListWebhooks list;
    private final UnsubscribeWebhook unsubscribe;
    private final JsonLog log;

    public WebhookRoutes(SubscribeWebhook subscribe, ListWebhooks list, UnsubscribeWebhook unsubscribe, JsonLog log) {
        this.subscribe = subscribe;
        this.list = list;
        this.unsubscribe = unsubscribe;
        this.log = log;
    }

    /** @param path the request path without a trailing slash */
    public HttpResponse route(HttpRequest request, String path) {
        String method = request.method();
        if (path.equals(PATH)) {
            if (method.equals("POST")) {
                return create(request);
            }
            if (method.equals("GET")) {
                return list(request);
            }
            throw noRoute(request);
        }
        if (path.startsWith(PATH + "/") && path.indexOf('/', PATH.length() + 1) < 0) {
            if (method.equals("DELETE")) {
                return delete(request, path.substring(PATH.length() + 1));
            }
            throw noRoute(request);
        }
        throw Problems.routeNotFound().exception();
    }

    private HttpResponse create(HttpRequest request) {
        Subscription s = subscribe.execute(request.owner(), body(request));
        log.info("webhook subscribed", "requestId", request.requestId(), "subscriptionId", s.id(),
                "events", String.join(",", s.eventNames()));
        Map<String, Object> body = new LinkedHashMap<>(s.toPublicJson());
        body.put("secret", s.secret());
        return HttpResponse.json(201, body).withHeader("Location", PATH + "/" + s.id());
    }

    private HttpResponse list(HttpRequest request) {
        List<Object> webhooks = new ArrayList<>();
        for (Subscription s : list.execute(request.owner())) {
            webhooks.add(s.toPublicJson());
        }
        return HttpResponse.json(200, Map.of("webhooks", webhooks));
    }

    private HttpResponse delete(HttpRequest request, String id) {
        unsubscribe.execute(request.owner(), id);
        log.info("webhook unsubscribed", "requestId", request.requestId(), "subscriptionId", id);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(204, headers, "");
    }

    private static Map<String, Object> body(HttpRequest request) {
        return RequestBodies.json(request, MAX_BODY_BYTES);
    }

    private static ProblemException noRoute(HttpRequest request) {
        return Problem.of(Problem.Kind.NOT_FOUND, "route-not-found", "Not found",
                "No route for " + request.method() + " on this resource.").exception();
    }
}
