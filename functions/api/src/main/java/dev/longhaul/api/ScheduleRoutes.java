package dev.longhaul.api;

import dev.longhaul.core.log.JsonLog;
import dev.longhaul.core.schedule.CreateSchedule;
import dev.longhaul.core.schedule.DeleteSchedule;
import dev.longhaul.core.schedule.ListSchedules;
import dev.longhaul.core.schedule.Schedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/schedules}: create ({@code POST}, 201 with {@code Location}), list ({@code GET}),
 * show ({@code GET /v1/schedules/{id}}) and remove ({@code DELETE /v1/schedules/{id}}) the
 * caller's recurring schedules. {@link TaskApi} hands it every path under {@value #PATH}.
 */
public final class ScheduleRoutes {
    public static final String PATH = "/v1/schedules";
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final CreateSchedule create;
    private final ListSchedules list;
    private final DeleteSchedule delete;
    private final JsonLog log;

    public ScheduleRoutes(CreateSchedule create, ListSchedules list, DeleteSchedule delete, JsonLog log) {
        this.create = create;
        this.list = list;
        this.delete = delete;
        this.log = log;
    }

    /** @param path the request path without a trailing slash */
    public HttpResponse route(HttpRequest request, String path) {
        String method = request.method();
        if (path.equals(PATH)) {
            if (method.equals("POST")) {
                Schedule s = create.execute(request.owner(), RequestBodies.json(request, MAX_BODY_BYTES));
                log.info("schedule created", "requestId", request.requestId(), "scheduleId", s.id());
                return HttpResponse.json(201, representation(s)).withHeader("Location", selfPath(s.id()));
            }
            TaskApi.requireMethod(request, "GET");
            List<Object> schedules = new ArrayList<>();
            for (Schedule s : list.execute(request.owner())) {
                schedules.add(representation(s));
            }
            return HttpResponse.json(200, Map.of("schedules", schedules));
        }
        if (path.startsWith(PATH + "/") && path.indexOf('/', PATH.length() + 1) < 0) {
            String id = path.substring(PATH.length() + 1);
            if (method.equals("DELETE")) {
                delete.execute(request.owner(), id);
                log.info("schedule deleted", "requestId", request.requestId(), "scheduleId", id);
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Cache-Control", "no-store");
                return new HttpResponse(204, headers, "");
            }
            TaskApi.requireMethod(request, "GET");
            return HttpResponse.json(200, representation(list.get(request.owner(), id)));
        }
        throw Problems.routeNotFound().exception();
    }

    static String selfPath(String id) {
        return PATH + "/" + id;
    }

    static Map<String, Object> representation(Schedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("cron", s.cron());
        m.put("rate", s.rate());
        m.put("timezone", s.timezone());
        m.put("task", s.task());
        m.put("createdAt", s.createdAt());
        m.put("nextTick", s.nextTick());
        m.put("lastTick", s.lastTick());
        m.put("lastTaskId", s.lastTaskId());
        m.put("lastError", s.lastError() == null ? null : s.lastError().toJson());
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", selfPath(s.id()));
        links.put("tasks", TaskApi.TASKS + "?schedule=" + s.id());
        m.put("links", links);
        return m;
    }

}
