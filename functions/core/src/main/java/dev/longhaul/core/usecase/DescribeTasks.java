package dev.longhaul.core.usecase;

import dev.longhaul.core.port.ChildTask;
import dev.longhaul.core.port.LaneEntry;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a task's representation shows beyond its record, read from the store's indexes: a queued
 * task's place in its named queue, a parent's children counted by status, and the progress of a
 * parent waiting for them (their mean). One index query per named queue and per parent shown.
 */
public final class DescribeTasks {
    private final TaskStore store;

    public DescribeTasks(TaskStore store) {
        this.store = store;
    }

    /**
     * A task as shown.
     *
     * @param queuePosition 1 for the next to start in its named queue; null when not queued in one
     * @param children      counts by status of its children, and their {@code total}; null for a
     *                      task that never had any
     * @param progress      the progress shown: the mean of its children's while it waits for them
     */
    public record TaskView(Task task, Integer queuePosition, Map<String, Integer> children, Integer progress) {
    }

    public TaskView describe(Task task) {
        return describe(List.of(task)).get(0);
    }

    public List<TaskView> describe(List<Task> tasks) {
        Map<String, List<LaneEntry>> lanes = new HashMap<>();
        List<TaskView> views = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            Integer position = null;
            if (task.status() == TaskStatus.QUEUED && task.options().queue() != null) {
                List<LaneEntry> lane = lanes.computeIfAbsent(task.owner() + "\u0000" + task.options().queue(),
                        k -> store.queuedInLane(task.owner(), task.options().queue()));
                position = position(lane, task);
            }
            Map<String, Integer> children = null;
            Integer progress = task.progress();
            if (task.relatives().children() > 0) {
                List<ChildTask> list = store.children(task.owner(), task.id());
                children = counts(list);
                if (task.isWaitingForChildren() && !list.isEmpty()) {
                    progress = Math.max(progress == null ? 0 : progress, mean(list));
                }
            }
            views.add(new TaskView(task, position, children, progress));
        }
        return views;
    }

    /** 1-based, among the queued tasks of the lane oldest first; the index may lag, the task itself counts. */
    private static int position(List<LaneEntry> lane, Task task) {
        int ahead = 0;
        for (LaneEntry entry : lane) {
            if (entry.id().equals(task.id())) {
                break;
            }
            if (entry.id().compareTo(task.id()) < 0) {
                ahead++;
            }
        }
        return ahead + 1;
    }

    static Map<String, Integer> counts(List<ChildTask> children) {
        Map<TaskStatus, Integer> byStatus = new EnumMap<>(TaskStatus.class);
        for (TaskStatus status : TaskStatus.values()) {
            byStatus.put(status, 0);
        }
        for (ChildTask child : children) {
            byStatus.merge(child.status(), 1, Integer::sum);
        }
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        byStatus.forEach((status, n) -> counts.put(status.wire(), n));
        counts.put("total", children.size());
        return counts;
    }

    /** The mean progress of the children, those that never ran counting 0. */
    static int mean(List<ChildTask> children) {
        long sum = 0;
        for (ChildTask child : children) {
            sum += child.progress() == null ? 0 : child.progress();
        }
        return (int) (sum / children.size());
    }
}
