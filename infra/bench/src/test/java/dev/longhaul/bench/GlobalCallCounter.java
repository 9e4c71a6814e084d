package dev.longhaul.bench;

import dev.longhaul.aws.testing.AwsCallCounter;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Registered for every SDK client on the test classpath (through
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}), so the handlers are
 * counted exactly as Lambda wires them, with no test-only constructor.
 */
public final class GlobalCallCounter implements ExecutionInterceptor {
    static final AwsCallCounter CALLS = new AwsCallCounter();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        CALLS.beforeTransmission(context, attributes);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        CALLS.afterExecution(context, attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        CALLS.onExecutionFailure(context, attributes);
    }
}
