package dev.longhaul.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code AWS::Serverless::Function} as the local cloud runs it, read from the template with
 * {@code Globals.Function} merged and intrinsics resolved.
 *
 * @param environment the full environment handed to the handler: Lambda's variables, the backend's,
 *                    the template's and the {@code --env-vars} overrides
 */
record FunctionSpec(String logicalId, String functionName, Path codeUri, String handlerClass, String handlerMethod,
                    Duration timeout, int memoryMb, Map<String, String> environment, List<EventSpec> events) {

    FunctionSpec {
        environment = Map.copyOf(environment);
        events = List.copyOf(events);
    }

    /** One entry of the function's {@code Events}, its properties resolved where they could be. */
    record EventSpec(String name, String type, Map<String, Object> properties, Map<String, Object> rawProperties) {
        EventSpec {
            properties = Map.copyOf(properties);
            rawProperties = Map.copyOf(rawProperties);
        }

        String where(FunctionSpec function) {
            return function.logicalId() + ".Events." + name + " (" + type + ")";
        }
    }
}
