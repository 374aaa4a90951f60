package dev.keyline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a flight recording: execution samples counted by their top frame, and by the first frame
 * of each of a few packages of interest (which of Keyline's, Mongo's or the HTTP stack's methods were on the stack);
 * and, when the recording has them, where threads doing our work waited (socket reads, parks, monitors).
 */
final class JfrSummary {
    private static final Set<String> WAITS =
            Set.of("jdk.SocketRead", "jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait");

    private JfrSummary() {}

    static String summarise(Path recording, int top) {
        return summarise(recording, top, "dev.keyline.");
    }

    /** As above, attributing samples also to the innermost frame whose class starts with {@code prefix}. */
    static String summarise(Path recording, int top, String prefix) {
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> keylineFrames = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Double> waitedMs = new HashMap<>();
        Map<String, Integer> waits = new HashMap<>();
        int samples = 0;
        try {
            for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
                String type = event.getEventType().getName();
                if (WAITS.contains(type) && event.getStackTrace() != null) {
                    // Only waits with one of our frames on the stack: idle pool threads park too, doing nothing.
                    for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                        if (frame.getMethod().getType().getName().startsWith(prefix)) {
                            String key = type.substring("jdk.".length()) + " in " + name(frame);
                            waitedMs.merge(key, event.getDuration().toNanos() / 1e6, Double::sum);
                            waits.merge(key, 1, Integer::sum);
                            break;
                        }
                    }
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (!frames.isEmpty()) {
                    topFrames.merge(name(frames.get(0)), 1, Integer::sum);
                }
                for (RecordedFrame frame : frames) {
                    if (frame.getMethod().getType().getName().startsWith(prefix)) {
                        keylineFrames.merge(name(frame), 1, Integer::sum);
                        break;
                    }
                }
                var thread = event.getThread("sampledThread");
                String threadName = thread == null ? "?" : thread.getJavaName();
                threads.merge(threadName == null ? "?" : threadName.replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + recording, e);
        }
        StringBuilder out = new StringBuilder();
        out.append("samples: ").append(samples).append('\n');
        out.append("\n# by thread\n").append(topOf(threads, samples, top));
        out.append("\n# by top frame\n").append(topOf(topFrames, samples, top));
        out.append("\n# by innermost frame in ").append(prefix).append('\n').append(topOf(keylineFrames, samples, top));
        if (!waitedMs.isEmpty()) {
            out.append("\n# waits recorded (socket reads, parks, monitors; the recording's thresholds apply), by"
                            + " innermost frame in ")
                    .append(prefix)
                    .append(": total ms, count, mean ms\n");
            waitedMs.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(top)
                    .forEach(e -> out.append(String.format(
                            Locale.ROOT,
                            "%9.1f  %6d  %7.2f  %s%n",
                            e.getValue(),
                            waits.get(e.getKey()),
                            e.getValue() / waits.get(e.getKey()),
                            e.getKey())));
        }
        return out.toString();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String topOf(Map<String, Integer> counts, int total, int top) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .map(e -> String.format(
                        "%5.1f%%  %6d  %s", 100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey()))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    public static void main(String[] args) {
        System.out.print(summarise(
                Path.of(args[0]),
                args.length > 1 ? Integer.parseInt(args[1]) : 30,
                args.length > 2 ? args[2] : "dev.keyline."));
    }
}
