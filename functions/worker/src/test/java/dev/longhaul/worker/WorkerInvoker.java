package dev.longhaul.worker;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Invokes the worker as Lambda's SQS event source mapping does: a batch event in, the ids of the
 * messages to retry out.
 */
final class WorkerInvoker {
    private final WorkerHandler handler;

    WorkerInvoker(WorkerHandler handler) {
        this.handler = handler;
    }

    /** The message ids reported in {@code batchItemFailures}. */
    @SuppressWarnings("unchecked")
    List<String> invoke(Map<String, Object> event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(event)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> response = Json.parseObject(out.toString(StandardCharsets.UTF_8));
        List<String> ids = new ArrayList<>();
        for (Object failure : (List<Object>) response.get("batchItemFailures")) {
            ids.add((String) ((Map<String, Object>) failure).get("itemIdentifier"));
        }
        return ids;
    }
}
