package dev.longhaul.core.task;

import java.util.List;
import java.util.TreeSet;

/**
 * How a task makes its way to running, beyond its status. Written by the state machine with the
 * rest of the task.
 *
 * @param admitted true once the task took one of its owner's active slots (created queued, or
 *                 promoted from blocked or scheduled); a terminal write gives the slot back only then
 * @param held     queued in a named queue behind the task holding it: not sent to the work queue
 *                 until its turn comes
 * @param waiting  running, but its job stopped until its children finish: no lease, no Lambda
 * @param pending  dependencies that have not succeeded yet, sorted
 */
public record Flow(boolean admitted, boolean held, boolean waiting, List<String> pending) {
    public static final Flow ADMITTED = new Flow(true, false, false, List.of());
    public static final Flow NOT_ADMITTED = new Flow(false, false, false, List.of());

    public Flow {
        pending = pending == null ? List.of() : List.copyOf(new TreeSet<>(pending));
    }

    Flow admit() {
        return new Flow(true, false, false, List.of());
    }

    Flow held(boolean value) {
        return new Flow(admitted, value, waiting, pending);
    }

    Flow waiting(boolean value) {
        return new Flow(admitted, held, value, pending);
    }

    Flow pending(List<String> value) {
        return new Flow(admitted, held, waiting, value);
    }
}
