package dev.keyline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a flight recording: execution samples counted by their top frame, and by the first frame
 * of each of a few packages of interest (which of Keyline's, Mongo's or the HTTP stack's methods were on the stack).
 */
final class JfrSummary {
    private JfrSummary() {}

    static String summarise(Path recording, int top) {
        return summarise(recording, top, "dev.keyline.");
    }

    /** As above, attributing samples also to the innermost frame whose class starts with {@code prefix}. */
    static String summarise(Path recording, int top, String prefix) {
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> keylineFrames = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        try {
            for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
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
