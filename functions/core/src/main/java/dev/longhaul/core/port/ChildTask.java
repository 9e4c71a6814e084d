package dev.longhaul.core.port;

import dev.longhaul.core.task.TaskStatus;

/**
 * A child as its parent's index shows it.
 *
 * @param spawnIndex its place among the children its parent's job spawned; null for others
 */
public record ChildTask(String id, String type, TaskStatus status, Integer progress, Integer spawnIndex) {
}
