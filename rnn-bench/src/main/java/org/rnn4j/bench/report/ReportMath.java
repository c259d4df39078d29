package org.rnn4j.bench.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The arithmetic of the benchmark report, kept free of JMH and I/O so that it can be unit-tested:
 * unit conversion, GFLOP/s, fractions of the FMA limit, elements per nanosecond and the checks of
 * the performance targets.
 *
 * <p>Conventions: times are nanoseconds per operation (one benchmark call); a GEMM performs
 * {@code 2·m·n·k} floating-point operations; floating-point operations per nanosecond are
 * GFLOP/s.
 */
public final class ReportMath {

    private ReportMath() {}

    // ---------------------------------------------------------------------------------------
    // Units and rates.
    // ---------------------------------------------------------------------------------------

    /**
     * A JMH time-per-operation score ({@code "ns/op"}, {@code "us/op"}, {@code "ms/op"},
     * {@code "s/op"}, ...) in nanoseconds per operation.
     *
     * @throws IllegalArgumentException for any other unit (e.g. a throughput {@code "ops/s"})
     */
    public static double nanosPerOp(double score, String unit) {
        return score * nanosPerUnit(unit);
    }

    /** How many nanoseconds one unit of a JMH time-per-operation score is. */
    public static double nanosPerUnit(String unit) {
        String u = unit.trim();
        if (!u.endsWith("/op")) {
            throw new IllegalArgumentException("not a time per operation: '" + unit + "'");
        }
        return switch (u.substring(0, u.length() - 3)) {
            case "ns" -> 1;
            case "us", "µs", "μs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min", "m" -> 60e9;
            case "hr", "h" -> 3600e9;
            default -> throw new IllegalArgumentException("unknown time unit in '" + unit + "'");
        };
    }

    /** GFLOP/s of {@code flops} floating-point operations done in {@code nanos} nanoseconds. */
    public static double gflops(double flops, double nanos) {
        return flops / nanos;
    }

    /** GFLOP/s of a GEMM of the given size that took {@code nanos} nanoseconds. */
    public static double gemmGflops(GemmSize size, double nanos) {
        return gflops(size.flops(), nanos);
    }

    /**
     * The FMA limit in GFLOP/s: one {@code FmaProbe.run} call of {@code flopsPerCall}
     * ({@code FmaProbe.flops(iterations)}) floating-point operations took {@code nanosPerCall}.
     */
    public static double fmaLimitGflops(long flopsPerCall, double nanosPerCall) {
        return gflops(flopsPerCall, nanosPerCall);
    }

    /** {@code value / limit}; NaN when the limit is unknown (NaN) or not positive. */
    public static double fraction(double value, double limit) {
        return limit > 0 ? value / limit : Double.NaN;
    }

    /** How many times faster {@code nanos} is than {@code baselineNanos}. */
    public static double speedup(double baselineNanos, double nanos) {
        return baselineNanos / nanos;
    }

    /** Elements processed per nanosecond. */
    public static double elementsPerNs(long elements, double nanos) {
        return elements / nanos;
    }

    /**
     * The interval {@code [rate(t + e), rate(t - e)]} of a rate {@code amount / t} when the time is
     * {@code t ± e}; the upper end is +∞ when {@code e ≥ t}, and both ends are NaN when e is NaN.
     */
    public static double[] rateInterval(double amount, double nanos, double errorNanos) {
        if (Double.isNaN(errorNanos)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double hi = errorNanos >= nanos ? Double.POSITIVE_INFINITY : amount / (nanos - errorNanos);
        return new double[] {amount / (nanos + errorNanos), hi};
    }

    /** Rows a softmax benchmark of about {@code n} elements in rows of {@code rowLength} uses. */
    public static int softmaxRows(int n, int rowLength) {
        if (n < 1 || rowLength < 1) {
            throw new IllegalArgumentException("n and rowLength must be >= 1, got " + n + ", " + rowLength);
        }
        return Math.max(1, n / rowLength);
    }

    /** Elements a softmax benchmark of about {@code n} elements in rows of {@code rowLength} processes. */
    public static long softmaxElements(int n, int rowLength) {
        return (long) softmaxRows(n, rowLength) * rowLength;
    }

    // ---------------------------------------------------------------------------------------
    // GEMM sizes.
    // ---------------------------------------------------------------------------------------

    /** The size of a GEMM: C is m × n, the inner dimension is k. */
    public record GemmSize(int m, int n, int k) {
        public GemmSize {
            if (m < 1 || n < 1 || k < 1) {
                throw new IllegalArgumentException("GEMM sizes must be >= 1, got " + m + "x" + n + "x" + k);
            }
        }

        /** Parses {@code "m x n x k"} written {@code "32x1024x256"}. */
        public static GemmSize parse(String spec) {
            String[] parts = spec.trim().toLowerCase(Locale.ROOT).split("x", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("GEMM size must be 'MxNxK', got '" + spec + "'");
            }
            try {
                return new GemmSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                        Integer.parseInt(parts[2].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GEMM size must be 'MxNxK', got '" + spec + "'", e);
            }
        }

        /** Floating-point operations, {@code 2·m·n·k}. */
        public double flops() {
            return 2.0 * m * n * k;
        }

        public boolean isSquare() {
            return m == n && n == k;
        }

        /** An RNN gate product: n = 4·k (four gates' pre-activations from k inputs), not a square. */
        public boolean isRnnShape() {
            return n == 4 * k && !isSquare();
        }

        /** {@code "32x1024x256"}, the benchmark parameter. */
        public String spec() {
            return m + "x" + n + "x" + k;
        }

        /** {@code "256³"} for squares, otherwise {@code "32×1024×256"}. */
        public String pretty() {
            return isSquare() ? m + "³" : m + "×" + n + "×" + k;
        }

        /** Squares first, by size; then the others by m, k, n. */
        public static final Comparator<GemmSize> ORDER = Comparator
                .comparing((GemmSize s) -> !s.isSquare())
                .thenComparingInt(GemmSize::m)
                .thenComparingInt(GemmSize::k)
                .thenComparingInt(GemmSize::n);
    }

    // ---------------------------------------------------------------------------------------
    // Targets.
    // ---------------------------------------------------------------------------------------

    /** The outcome of one target check. */
    public enum Status {
        MET, MISSED, NOT_MEASURED
    }

    /**
     * What a target measures: a fraction of the one-thread FMA limit, a speed-up, or (the model
     * targets of {@link ModelMath}) a time per call in milliseconds that must not be exceeded.
     */
    public enum Kind {
        FRACTION_OF_FMA_LIMIT, SPEEDUP, MAX_MILLISECONDS
    }

    /** One measured GEMM: impl (scalar, vector, vector2t), shape (AB, ATB, ABT), size, ns per call. */
    public record GemmTime(String impl, String shape, GemmSize size, double nanos) {}

    /**
     * One row of the targets table.
     *
     * @param target   the target, e.g. "vector A·B, one thread, squares 256³–1024³"
     * @param subject  the measurement checked, e.g. "A·B 512³", or "—" when none was measured
     * @param kind     what {@code measured} and {@code required} are
     * @param required the threshold (a fraction, or a speed-up factor)
     * @param measured the measured value, null when not measured
     * @param status   met, missed or not measured
     */
    public record TargetCheck(String target, String subject, Kind kind, double required, Double measured,
                              Status status) {}

    /** A target: which measurements it applies to and the threshold they must reach. */
    record Target(String name, Kind kind, double required, Set<String> shapes, Predicate<GemmSize> sizes) {}

    /** The targets, in the order the report lists them (from {@value ReportTargets#RESOURCE}). */
    static final List<Target> TARGETS = ReportTargets.PROJECT.kernelTargets();

    /**
     * {@code "AB"} → {@code "A·B"}, {@code "ATB"} → {@code "Aᵀ·B"}, {@code "ABT"} → {@code "A·Bᵀ"},
     * {@code "ABP"} → {@code "A·B, B pre-packed"}.
     */
    public static String prettyShape(String shape) {
        return switch (shape) {
            case "AB" -> "A·B";
            case "ATB" -> "Aᵀ·B";
            case "ABT" -> "A·Bᵀ";
            case "ABP" -> "A·B, B pre-packed";
            default -> shape;
        };
    }

    private static final List<String> SHAPES = List.of("AB", "ATB", "ABT", "ABP");

    /** Shapes in report order: AB, ATB, ABT, ABP, then anything else alphabetically. */
    public static final Comparator<String> SHAPE_ORDER = Comparator
            .comparingInt((String s) -> SHAPES.indexOf(s) < 0 ? SHAPES.size() : SHAPES.indexOf(s))
            .thenComparing(Comparator.naturalOrder());

    /** Impls in report order: scalar, vector, vector2t, then anything else alphabetically. */
    public static final Comparator<String> IMPL_ORDER = Comparator
            .comparingInt((String s) -> List.of("scalar", "vector", "vector2t").indexOf(s) < 0
                    ? 3 : List.of("scalar", "vector", "vector2t").indexOf(s))
            .thenComparing(Comparator.naturalOrder());

    /**
     * Checks the targets against the measured GEMMs. Every measurement in a target's domain gives
     * one row; a target with no measurement in its domain (or, for the fraction targets, no FMA
     * limit) gives one {@link Status#NOT_MEASURED} row.
     *
     * @param times          the GEMM measurements (when one case appears twice the last one counts)
     * @param fmaLimitGflops the one-thread FMA limit, NaN when it was not measured
     */
    public static List<TargetCheck> checkTargets(Collection<GemmTime> times, double fmaLimitGflops) {
        Map<String, GemmTime> byCase = new LinkedHashMap<>();
        for (GemmTime t : times) {
            byCase.put(t.impl() + "/" + t.shape() + "/" + t.size().spec(), t);
        }
        List<GemmTime> vector = byCase.values().stream()
                .filter(t -> t.impl().equals("vector"))
                .sorted(Comparator.comparing(GemmTime::shape, SHAPE_ORDER)
                        .thenComparing(GemmTime::size, GemmSize.ORDER))
                .toList();
        List<TargetCheck> out = new ArrayList<>();
        for (Target target : TARGETS) {
            int before = out.size();
            for (GemmTime t : vector) {
                if (!target.shapes().contains(t.shape()) || !target.sizes().test(t.size())) {
                    continue;
                }
                String subject = prettyShape(t.shape()) + " " + t.size().pretty();
                if (target.kind() == Kind.FRACTION_OF_FMA_LIMIT) {
                    if (!(fmaLimitGflops > 0)) {
                        continue;
                    }
                    double f = fraction(gemmGflops(t.size(), t.nanos()), fmaLimitGflops);
                    out.add(new TargetCheck(target.name(), subject, target.kind(), target.required(), f,
                            f >= target.required() ? Status.MET : Status.MISSED));
                } else {
                    GemmTime parallel = byCase.get("vector2t/" + t.shape() + "/" + t.size().spec());
                    if (parallel == null) {
                        continue;
                    }
                    double s = speedup(t.nanos(), parallel.nanos());
                    out.add(new TargetCheck(target.name(), subject, target.kind(), target.required(), s,
                            s >= target.required() ? Status.MET : Status.MISSED));
                }
            }
            if (out.size() == before) {
                out.add(new TargetCheck(target.name(), "—", target.kind(), target.required(), null,
                        Status.NOT_MEASURED));
            }
        }
        return out;
    }
}
