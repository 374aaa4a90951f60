package dev.keyline.platform.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Starts each test run with empty recordings, so the end-of-run scan sees this run only. */
public class HygieneSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            if (Files.isDirectory(HygieneFiles.DIR)) {
                try (Stream<Path> files = Files.walk(HygieneFiles.DIR)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.deleteIfExists(HygieneFiles.LOG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
