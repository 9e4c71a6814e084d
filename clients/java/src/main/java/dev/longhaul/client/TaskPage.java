package dev.longhaul.client;

import java.util.List;

/** One page of a listing; {@code nextPageToken} is null on the last one. */
public record TaskPage(List<Task> tasks, String nextPageToken) {
    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
