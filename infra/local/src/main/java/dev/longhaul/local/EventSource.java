package dev.longhaul.local;

/** Something that invokes a function on its own: a queue poller, a schedule, a stream reader. */
interface EventSource extends AutoCloseable {

    /** What it feeds, for the startup banner: {@code WorkQueue -> WorkerFunction (batch 10, window 1 s)}. */
    String describe();

    void start();

    /** Stops polling; an invocation under way finishes on its own. */
    @Override
    void close();
}
