package dev.longhaul.cli;

import dev.longhaul.client.Task;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Shows a task's states while the command waits for it. */
interface ProgressView extends AutoCloseable {

    /** A new state of the task. */
    void show(Task task);

    /** The wait is over: end the display. */
    @Override
    void close();

    /** JSON lines on stdout for --json; else a live bar on a terminal, plain lines elsewhere, on stderr. */
    static ProgressView create(boolean json, boolean terminal, PrintWriter out, PrintWriter err, Clock clock) {
        if (json) {
            return new JsonLines(out);
        }
        return terminal ? new Bar(err, clock) : new PlainLines(err, clock);
    }

    /** One JSON object per state, the task as received. */
    final class JsonLines implements ProgressView {
        private final PrintWriter out;

        JsonLines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void show(Task task) {
            out.println(Output.json(task.json()));
            out.flush();
        }

        @Override
        public void close() {
        }
    }

    /** One line per change of status or percent, never a carriage return or an escape sequence. */
    final class PlainLines implements ProgressView {
        private final PrintWriter err;
        private final Clock clock;
        private String shown;

        PlainLines(PrintWriter err, Clock clock) {
            this.err = err;
            this.clock = clock;
        }

        @Override
        public void show(Task task) {
            String state = ProgressText.state(task);
            if (!state.equals(shown)) {
                shown = state;
                err.println(ProgressText.line(task, clock.instant()));
                err.flush();
            }
        }

        @Override
        public void close() {
        }
    }

    /**
     * A bar redrawn in place ({@code \r} and ANSI erase-line) at every change, and every second
     * in between so that the elapsed time moves; the last frame stays, with a newline.
     */
    final class Bar implements ProgressView {
        static final String REDRAW = "\r\033[2K";

        private final PrintWriter err;
        private final Clock clock;
        private final ScheduledExecutorService ticker;
        /** Ends the line when Ctrl-C stops the wait, so that the shell's prompt starts on a line of its own. */
        private final Thread newlineOnExit;
        private Task last;

        Bar(PrintWriter err, Clock clock) {
            this.err = err;
            this.clock = clock;
            this.newlineOnExit = new Thread(() -> {
                synchronized (this) {
                    if (last != null) {
                        err.println();
                        err.flush();
                    }
                }
            }, "longhaul-progress-exit");
            Runtime.getRuntime().addShutdownHook(newlineOnExit);
            this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "longhaul-progress");
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public synchronized void show(Task task) {
            last = Objects.requireNonNull(task);
            draw();
        }

        private synchronized void redraw() {
            if (last != null && !last.isTerminal()) {
                draw();
            }
        }

        private void draw() {
            err.print(REDRAW + ProgressText.frame(last, clock.instant()));
            err.flush();
        }

        @Override
        public void close() {
            ticker.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(newlineOnExit);
            } catch (IllegalStateException exiting) {
                return; // the hook ends the line
            }
            synchronized (this) {
                if (last != null) {
                    err.println();
                    err.flush();
                }
            }
        }
    }
}
