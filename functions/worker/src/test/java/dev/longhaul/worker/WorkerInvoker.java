package dev.longhaul.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.longhaul.lambda.testing.LambdaRuntime;
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
        Map<String, Object> response = LambdaRuntime.invoke(event, SQSEvent.class, e -> handler.handle(e, null));
        List<String> ids = new ArrayList<>();
        for (Object failure : (List<Object>) response.get("batchItemFailures")) {
            ids.add((String) ((Map<String, Object>) failure).get("itemIdentifier"));
        }
        return ids;
    }
}
