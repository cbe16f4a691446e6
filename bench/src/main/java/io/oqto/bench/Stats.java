package io.oqto.bench;

import java.util.Arrays;

/** Percentiles of a set of latencies in nanoseconds, printed in microseconds. */
public final class Stats {

    private final long[] sortedNanos;

    private Stats(long[] sortedNanos) {
        this.sortedNanos = sortedNanos;
    }

    public static Stats of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new Stats(copy);
    }

    public double percentileMicros(double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100.0 * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, i)] / 1000.0;
    }

    public static double median(double[] values) {
        double[] c = values.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    public static String range(double[] values) {
        double[] c = values.clone();
        Arrays.sort(c);
        return String.format("%.1f–%.1f", c[0], c[c.length - 1]);
    }

    /** Element by element {@code a - b}: per-round overheads from per-round figures. */
    public static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
