package dev.keyline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux process facts from /proc. */
final class Proc {
    private Proc() {}

    /** VmRSS of the process in KB, 0 when unknown. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone or not Linux.
        }
        return 0;
    }
}
