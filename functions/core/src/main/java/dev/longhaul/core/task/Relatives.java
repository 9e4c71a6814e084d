package dev.longhaul.core.task;

import java.util.List;
import java.util.TreeSet;

/**
 * What other tasks did to this one's record, kept by the store next to the task and changed in
 * the same atomic writes as those tasks: the state machine reads it, never writes it (a write of
 * the task leaves it as it is).
 *
 * @param dependents   tasks created with this one in their {@code dependsOn} while it was unfinished
 * @param children     how many children were ever created under this task
 * @param openChildren how many of them are not finished
 */
public record Relatives(List<String> dependents, int children, int openChildren) {
    public static final Relatives NONE = new Relatives(List.of(), 0, 0);

    public Relatives {
        dependents = dependents == null ? List.of() : List.copyOf(new TreeSet<>(dependents));
    }
}
