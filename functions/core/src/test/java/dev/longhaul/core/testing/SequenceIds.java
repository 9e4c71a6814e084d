package dev.longhaul.core.testing;

import dev.longhaul.core.port.IdSource;
import dev.longhaul.core.task.TaskIds;
import java.util.concurrent.atomic.AtomicLong;

/** Predictable ids that are still well-formed task ids: the sequence number, zero-padded. */
public final class SequenceIds implements IdSource {
    private final AtomicLong next = new AtomicLong(1);

    @Override
    public String newId() {
        return String.format("%0" + TaskIds.LENGTH + "d", next.getAndIncrement());
    }

    /** How many ids were handed out. */
    public long issued() {
        return next.get() - 1;
    }
}
