package dev.longhaul.reliability;

/**
 * A simulated Lambda death: thrown on a worker's thread, it is an {@link Error} so no handler
 * code catches it, and the invocation stops where it is. Its messages are not deleted and come
 * back after their visibility timeout, as when a real function instance dies.
 */
final class WorkerCrash extends Error {
    private static final long serialVersionUID = 1L;

    WorkerCrash(String where) {
        super("simulated worker crash " + where, null, false, false);
    }
}
