package dev.keyline.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's figures, written as JSON for machines and as a Markdown table for people. */
final class Report {

    /**
     * One figure: a measured value, its baseline from the same run and their ratio (median over repeats, with the
     * spread), against a target when the issue sets one.
     *
     * @param target e.g. {@code "≤ 1.25"}; null when the figure is informational
     * @param met null when there is no target
     */
    record Figure(
            String scenario,
            String name,
            Stats value,
            Stats baseline,
            String unit,
            Stats ratio,
            String target,
            Boolean met,
            String note) {}

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final Map<String, Object> machine;
    private final String mode;

    Report(Map<String, Object> machine, String mode) {
        this.machine = machine;
        this.mode = mode;
    }

    void add(Figure figure) {
        figures.add(figure);
        System.out.println("  " + row(figure));
    }

    /** A figure whose ratio must be at most {@code max}. */
    void atMost(
            String scenario,
            String name,
            Stats value,
            Stats baseline,
            String unit,
            Stats ratio,
            double max,
            String note) {
        add(new Figure(scenario, name, value, baseline, unit, ratio, "≤ " + fmt(max), ratio.median() <= max, note));
    }

    /** A figure whose ratio must be at least {@code min}. */
    void atLeast(
            String scenario,
            String name,
            Stats value,
            Stats baseline,
            String unit,
            Stats ratio,
            double min,
            String note) {
        add(new Figure(scenario, name, value, baseline, unit, ratio, "≥ " + fmt(min), ratio.median() >= min, note));
    }

    void info(String scenario, String name, Stats value, Stats baseline, String unit, Stats ratio, String note) {
        add(new Figure(scenario, name, value, baseline, unit, ratio, null, null, note));
    }

    void detail(String key, Object value) {
        details.put(key, value);
    }

    List<Figure> figures() {
        return figures;
    }

    void write(Path dir, double seconds) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("mode", mode);
            json.put("finished_at", java.time.Instant.now().toString());
            json.put("duration_s", Math.round(seconds));
            json.put("machine", machine);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Figure f : figures) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("scenario", f.scenario());
                row.put("name", f.name());
                row.put("unit", f.unit());
                row.put("value", stats(f.value()));
                row.put("baseline", stats(f.baseline()));
                row.put("ratio", stats(f.ratio()));
                row.put("target", f.target());
                row.put("met", f.met());
                row.put("note", f.note());
                rows.add(row);
            }
            json.put("figures", rows);
            json.put("details", details);
            Http.JSON
                    .writer()
                    .with(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve("latest.json").toFile(), json);
            Files.writeString(dir.resolve("latest.md"), markdown(seconds));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results", e);
        }
    }

    String markdown(double seconds) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ")
                .append(machine.get("cores"))
                .append(" cores (")
                .append(machine.get("cpu"))
                .append("), ")
                .append(machine.get("memory_mb"))
                .append(" MB, ")
                .append(machine.get("jdk"))
                .append(", ")
                .append(machine.get("os"))
                .append("; load average at start ")
                .append(machine.get("load_average_at_start"))
                .append(". Mode: ")
                .append(mode)
                .append(", ")
                .append(Math.round(seconds))
                .append(" s.\n\n");
        md.append("| # | figure | value (median, min–max) | baseline | ratio (median, min–max) | target | met |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            md.append("| ")
                    .append(f.scenario())
                    .append(" | ")
                    .append(f.name())
                    .append(f.note() == null ? "" : " — " + f.note())
                    .append(" | ")
                    .append(range(f.value(), f.unit()))
                    .append(" | ")
                    .append(range(f.baseline(), f.unit()))
                    .append(" | ")
                    .append(range(f.ratio(), "×"))
                    .append(" | ")
                    .append(f.target() == null ? "—" : f.target())
                    .append(" | ")
                    .append(f.met() == null ? "—" : f.met() ? "yes" : "**no**")
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String row(Figure f) {
        return String.format(
                Locale.ROOT,
                "[%s] %s: %s (baseline %s) ratio %s%s",
                f.scenario(),
                f.name(),
                range(f.value(), f.unit()),
                range(f.baseline(), f.unit()),
                range(f.ratio(), "×"),
                f.target() == null ? "" : " target " + f.target() + (f.met() ? " met" : " NOT met"));
    }

    private static Map<String, Object> stats(Stats s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", round(s.median()));
        m.put("min", round(s.min()));
        m.put("max", round(s.max()));
        m.put("n", s.n());
        return m;
    }

    private static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 1000) / 1000.0;
    }

    static String range(Stats s, String unit) {
        if (s == null || s.n() == 0) {
            return "—";
        }
        String u = unit == null || unit.isEmpty() ? "" : unit.equals("×") ? "×" : " " + unit;
        if (s.n() == 1 || s.min() == s.max()) {
            return fmt(s.median()) + u;
        }
        return fmt(s.median()) + u + " (" + fmt(s.min()) + "–" + fmt(s.max()) + ")";
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
