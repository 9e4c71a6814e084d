package dev.longhaul.core.usecase;

import dev.longhaul.core.task.Task;
import java.time.Instant;

/** How a dependency that did not succeed is named in its dependents' {@code dependency-failed} error. */
final class DependencyOutcome {
    static final String DELETED = "was deleted";

    private DependencyOutcome() {
    }

    /** {@code failed}, {@code was cancelled} or {@code expired}, for a finished (or expired) dependency. */
    static String of(Task dependency, Instant now) {
        if (dependency.isExpired(now)) {
            return "expired";
        }
        return switch (dependency.status()) {
            case FAILED -> "failed" + (dependency.error() == null ? "" : " (" + dependency.error().code() + ")");
            case CANCELLED -> "was cancelled";
            default -> "did not succeed";
        };
    }
}
