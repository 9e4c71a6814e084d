package dev.longhaul.core.job;

import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskStatus;

/**
 * A child task as its parent's job sees it.
 *
 * @param error why it failed, for a failed child; null otherwise
 */
public record Child(String id, String type, TaskStatus status, Integer progress, TaskError error) {
}
