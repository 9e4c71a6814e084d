package dev.longhaul.cli;

import dev.longhaul.client.LonghaulClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "download", description = "Download a succeeded task's result (through its short-lived presigned URL).")
final class DownloadCommand extends Subcommand.OnTask {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write it (replaced if it exists).")
    private Path output;

    @Override
    public Integer call() {
        long bytes = save(client(), id, output);
        var written = Output.object();
        written.put("id", id);
        written.put("file", output.toString());
        written.put("bytes", bytes);
        print(written, "wrote " + output + " (" + bytes + " bytes)");
        return 0;
    }

    /** Downloads the result to {@code output} and returns its size. */
    static long save(LonghaulClient client, String id, Path output) {
        try {
            return Files.size(client.download(id, output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
