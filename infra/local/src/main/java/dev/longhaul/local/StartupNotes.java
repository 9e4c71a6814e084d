package dev.longhaul.local;

import java.io.PrintStream;
import java.util.List;

/**
 * How the startup report shows the notes: the ones a user may have to act on, one per line; the
 * expected differences from AWS (IAM, SnapStart, encryption, alarms... not applied locally) as one
 * summary line, listed with {@code --verbose}; the development JWT secret as a warning that stands
 * out, last before the ready line.
 */
final class StartupNotes {

    /** Phrases of the notes that say a template feature simply has no local counterpart. */
    private static final List<String> EXPECTED = List.of(
            " not applied locally", " not honoured locally", " not provisioned", "not applied (S3Proxy",
            "runs inside this JVM",
            "JAVA_TOOL_OPTIONS does not apply", "verifies HS256 tokens signed with the local JWT secret");

    private StartupNotes() {
    }

    static boolean isExpectedDifference(String note) {
        return EXPECTED.stream().anyMatch(note::contains);
    }

    static boolean isDevelopmentSecret(String note) {
        return note.startsWith(LocalCloud.DEVELOPMENT_SECRET_NOTE);
    }

    /** The notes to act on, and the count (or, verbose, the list) of the expected differences. */
    static void print(List<String> notes, boolean verbose, PrintStream out) {
        List<String> expected = notes.stream().filter(StartupNotes::isExpectedDifference).toList();
        for (String note : notes) {
            if (!isDevelopmentSecret(note) && (verbose || !expected.contains(note))) {
                out.println("  ! " + note);
            }
        }
        if (!expected.isEmpty() && !verbose) {
            out.println("  " + expected.size() + " template features are not applied locally (SnapStart, log groups,"
                    + " encryption, alarms...): --verbose lists them");
        }
    }

    /** The development-secret warning, framed so it is not lost in the report. */
    static void printWarnings(List<String> notes, PrintStream out) {
        for (String note : notes) {
            if (isDevelopmentSecret(note)) {
                out.println("  ********************************************************************************");
                out.println("  * WARNING: the JWT secret is the development default '" + Jwt.DEVELOPMENT_SECRET + "':");
                out.println("  * anyone can mint tokens for this cloud. Keep it on 127.0.0.1, or set --jwt-secret");
                out.println("  * or LONGHAUL_JWT_SECRET.");
                out.println("  ********************************************************************************");
            }
        }
    }
}
