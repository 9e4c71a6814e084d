package dev.longhaul.lambda.testing;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.longhaul.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * Events and responses as the Lambda Java runtime itself turns them into objects and back: through
 * {@code aws-lambda-java-serialization}, the serializer a {@code RequestHandler<I, O>} gets its
 * {@code I} from. Tests hand the functions what this makes of the files in {@code events/}, so
 * those files are proven to be what Lambda would deliver.
 */
public final class LambdaRuntime {
    private LambdaRuntime() {
    }

    public static <T> T event(byte[] json, Class<T> type) {
        return serializer(type).fromJson(new ByteArrayInputStream(json));
    }

    public static <T> T event(String json, Class<T> type) {
        return event(json.getBytes(StandardCharsets.UTF_8), type);
    }

    /** An event given as the JSON map the tests build and edit. */
    public static <T> T event(Map<String, Object> json, Class<T> type) {
        return event(Json.write(json), type);
    }

    /** A response as the runtime would send it back: JSON text. */
    @SuppressWarnings("unchecked")
    public static String json(Object response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer((Class<Object>) response.getClass()).toJson(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A response as the runtime would send it back, read as a JSON map. */
    public static Map<String, Object> response(Object response) {
        return Json.parseObject(json(response));
    }

    /**
     * Invokes a function's typed entry as a {@code RequestHandler} would be invoked: the event JSON
     * through the runtime's serializer, the response back through it; answers the response JSON.
     */
    public static <E> Map<String, Object> invoke(Map<String, Object> event, Class<E> type, Function<E, ?> handler) {
        return response(handler.apply(event(event, type)));
    }

    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, LambdaRuntime.class.getClassLoader());
    }
}
