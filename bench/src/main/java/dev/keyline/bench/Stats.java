package dev.keyline.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Summary of repeated measurements: the median is the figure, min and max show the spread.
 *
 * @param median the middle value (mean of the two middle ones for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param n how many values
 */
public record Stats(double median, double min, double max, int n) {

    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Stats(median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /** The statistics of one figure read from each of several results. */
    public static <T> Stats of(List<T> results, ToDoubleFunction<T> figure) {
        return of(results.stream().map(r -> figure.applyAsDouble(r)).toList());
    }

    public static Stats ofLongs(long[] values) {
        double[] sorted = Arrays.stream(values).asDoubleStream().sorted().toArray();
        if (sorted.length == 0) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new Stats(median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /** The value below which {@code p} (0–1) of the sorted values lie (nearest rank). */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double median(double[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Spread as a share of the median: (max − min) / median. */
    public double spread() {
        return n == 0 || median == 0 ? Double.NaN : (max - min) / median;
    }
}
