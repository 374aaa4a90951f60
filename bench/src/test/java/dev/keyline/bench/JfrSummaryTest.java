package dev.keyline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary of a real flight recording: waits are attributed to the innermost frame of the package asked for. */
class JfrSummaryTest {

    @Test
    void aParkInsideOurCodeIsListedUnderItsFrame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("waits.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ThreadPark").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            for (int i = 0; i < 3; i++) {
                parkAWhile();
            }
            recording.stop();
            recording.dump(file);
        }

        String summary = JfrSummary.summarise(file, 10, "dev.keyline.bench.");

        assertThat(summary)
                .contains("# waits recorded")
                .containsPattern("\\s\\d+\\.\\d\\s+3\\s+\\d+\\.\\d\\d\\s+ThreadPark in "
                        + "dev\\.keyline\\.bench\\.JfrSummaryTest\\.parkAWhile");
    }

    private static void parkAWhile() {
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
}
