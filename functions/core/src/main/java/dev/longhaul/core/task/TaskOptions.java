package dev.longhaul.core.task;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a task was created with besides its type and parameters; every member is optional.
 *
 * @param name       a label of at most 200 characters
 * @param object     an opaque reference to the business object the task concerns
 * @param queue      the owner's named queue: its tasks start one at a time, in creation order
 * @param parent     the task this one is a child of
 * @param dependsOn  tasks that must succeed before this one is queued
 * @param notBefore  the task is not queued before this instant
 * @param access     subjects granted read access (the only member that changes after create)
 * @param schedule   the recurring schedule whose tick created the task
 * @param spawnIndex the place among the children its parent's job spawned, from 0; null for others
 */
public record TaskOptions(String name, Map<String, Object> object, String queue, String parent,
                          List<String> dependsOn, Instant notBefore, List<String> access, String schedule,
                          Integer spawnIndex) {
    public static final TaskOptions NONE = new TaskOptions(null, null, null, null, List.of(), null, List.of(), null, null);

    public TaskOptions {
        object = object == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(object));
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        access = access == null ? List.of() : List.copyOf(access);
    }

    public TaskOptions withAccess(List<String> grants) {
        return new TaskOptions(name, object, queue, parent, dependsOn, notBefore, grants, schedule, spawnIndex);
    }

    public TaskOptions withParent(String parentId, Integer index) {
        return new TaskOptions(name, object, queue, parentId, dependsOn, notBefore, access, schedule, index);
    }

    public TaskOptions withSchedule(String scheduleId) {
        return new TaskOptions(name, object, queue, parent, dependsOn, notBefore, access, scheduleId, spawnIndex);
    }
}
