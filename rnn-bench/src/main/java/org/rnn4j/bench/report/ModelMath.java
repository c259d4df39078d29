package org.rnn4j.bench.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.bench.ModelBenchmark;
import org.rnn4j.bench.report.ReportMath.Kind;
import org.rnn4j.bench.report.ReportMath.Status;

/**
 * The arithmetic of the models report ({@link ModelsReport}), free of JMH and I/O: the model
 * shapes, the FLOPs of {@link ModelBenchmark}'s benchmarks and the checks of the issue's model
 * targets.
 *
 * <p>Conventions as in {@link ReportMath}: times are nanoseconds per call, FLOP per nanosecond is
 * GFLOP/s. A forward pass counts {@link ModelBenchmark#forwardFlops} = 2·T·B·(D + H)·G·H (the
 * recurrent layer's matrix products only; the output head is not counted); forward + backward
 * and the training step count three times that.
 */
public final class ModelMath {
    private ModelMath() {}

    // The issue's numbers come from ReportTargets.RESOURCE (targets.json), each with its source.

    /** The shape (B × T × D × H) the time targets are at. */
    public static final ModelShape TARGET_SHAPE = ReportTargets.PROJECT.targetShape();
    /** The issue's two shapes, both checked for the two-thread speed-up. */
    public static final List<ModelShape> ISSUE_SHAPES = ReportTargets.PROJECT.issueShapes();
    /** The cells the targets name, in report order. */
    public static final List<String> CELLS = List.of("RNN", "LSTM");
    /** Target: the training step on two threads at least this many times faster than on one. */
    public static final double TWO_THREAD_TARGET = ReportTargets.PROJECT.twoThreadSpeedup();

    /** A time target: this cell and benchmark at {@link #TARGET_SHAPE} on one thread within this time. */
    public record TimeTarget(String cell, Bench bench, double maxMillis) {}

    /** The issue's time targets, in the order the report lists them. */
    public static final List<TimeTarget> TIME_TARGETS = ReportTargets.PROJECT.timeTargets();

    // ---------------------------------------------------------------------------------------
    // Shapes and benchmarks.
    // ---------------------------------------------------------------------------------------

    /** A model benchmark shape: batch B, time steps T, inputs D, hidden units H. */
    public record ModelShape(int batch, int steps, int inputs, int hidden) {
        public ModelShape {
            if (batch < 1 || steps < 1 || inputs < 1 || hidden < 1) {
                throw new IllegalArgumentException("model sizes must be >= 1, got "
                        + batch + "x" + steps + "x" + inputs + "x" + hidden);
            }
        }

        /** Parses {@link ModelBenchmark}'s parameter {@code "BxTxDxH"}, e.g. {@code "32x100x128x256"}. */
        public static ModelShape parse(String spec) {
            String[] p = spec.trim().toLowerCase(Locale.ROOT).split("x", -1);
            if (p.length != 4) {
                throw new IllegalArgumentException("model shape must be 'BxTxDxH', got '" + spec + "'");
            }
            try {
                return new ModelShape(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                        Integer.parseInt(p[2].trim()), Integer.parseInt(p[3].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("model shape must be 'BxTxDxH', got '" + spec + "'", e);
            }
        }

        /** {@code "32x100x128x256"}, the benchmark parameter. */
        public String spec() {
            return batch + "x" + steps + "x" + inputs + "x" + hidden;
        }

        /** {@code "32×100×128×256"}. */
        public String pretty() {
            return batch + "×" + steps + "×" + inputs + "×" + hidden;
        }

        /** By H, then D, B, T: the issue's shapes in their order. */
        public static final Comparator<ModelShape> ORDER = Comparator
                .comparingInt(ModelShape::hidden)
                .thenComparingInt(ModelShape::inputs)
                .thenComparingInt(ModelShape::batch)
                .thenComparingInt(ModelShape::steps);
    }

    /** The benchmarks of {@link ModelBenchmark}: method, report label, FLOPs in forward passes. */
    public enum Bench {
        FORWARD("forward", "forward", 1),
        FORWARD_BACKWARD("forwardBackward", "forward+backward", 3),
        TRAINING_STEP("trainingStep", "training step", 3);

        private final String method;
        private final String label;
        private final int forwardPasses;

        Bench(String method, String label, int forwardPasses) {
            this.method = method;
            this.label = label;
            this.forwardPasses = forwardPasses;
        }

        public String method() {
            return method;
        }

        public String label() {
            return label;
        }

        /** FLOPs of one call in forward passes' FLOPs: 1 forward, 3 with the backward pass. */
        public int forwardPasses() {
            return forwardPasses;
        }

        /** The benchmark of a {@link ModelBenchmark} method name, null for any other. */
        public static Bench ofMethod(String method) {
            for (Bench b : values()) {
                if (b.method.equals(method)) {
                    return b;
                }
            }
            return null;
        }
    }

    /** Cells in report order: RNN, LSTM, then anything else alphabetically. */
    public static final Comparator<String> CELL_ORDER = Comparator
            .comparingInt((String c) -> CELLS.indexOf(c) < 0 ? CELLS.size() : CELLS.indexOf(c))
            .thenComparing(Comparator.naturalOrder());

    /**
     * FLOPs of one call of a benchmark: {@link ModelBenchmark#forwardFlops} times
     * {@link Bench#forwardPasses()}.
     *
     * @throws IllegalArgumentException for a cell that is not a {@code CellKind}
     */
    public static double flops(String cell, ModelShape shape, Bench bench) {
        return bench.forwardPasses() * ModelBenchmark.forwardFlops(cell, shape.spec());
    }

    /**
     * The least time in nanoseconds {@code flops} can take at {@code limitGflops}, i.e.
     * {@code flops / limit}; NaN when the limit is unknown (NaN) or not positive.
     */
    public static double nanosAtLimit(double flops, double limitGflops) {
        return limitGflops > 0 ? flops / limitGflops : Double.NaN;
    }

    /**
     * The fraction of the FMA limit a call of {@code flops} must reach to take at most
     * {@code nanos}; NaN when the limit is unknown.
     */
    public static double requiredFraction(double flops, double nanos, double limitGflops) {
        return ReportMath.fraction(ReportMath.gflops(flops, nanos), limitGflops);
    }

    // ---------------------------------------------------------------------------------------
    // Targets.
    // ---------------------------------------------------------------------------------------

    /** One measured model benchmark: cell, shape, threads, benchmark, nanoseconds per call. */
    public record ModelTime(String cell, ModelShape shape, int threads, Bench bench, double nanos) {
        String key() {
            return ModelMath.key(cell, shape, threads, bench);
        }
    }

    static String key(String cell, ModelShape shape, int threads, Bench bench) {
        return cell + "/" + shape.spec() + "/" + threads + "/" + bench.method();
    }

    /**
     * One row of the models' targets table.
     *
     * @param target          the target, e.g. "LSTM forward, one thread"
     * @param subject         the case checked, e.g. "32×100×128×256"
     * @param kind            {@link Kind#MAX_MILLISECONDS} (time per call) or {@link Kind#SPEEDUP}
     * @param required        the threshold: at most this many ms, or at least this speed-up
     * @param measured        the measured ms or speed-up, null when not measured
     * @param status          met, missed or not measured
     * @param flops           time targets: FLOPs of one call, else null
     * @param millisAtFmaLimit time targets: {@code flops} ÷ one-thread FMA limit in ms, the least time
     *                        the counted FLOPs take at the limit; null without a limit or for speed-ups
     */
    public record TargetCheck(String target, String subject, Kind kind, double required, Double measured,
                              Status status, Double flops, Double millisAtFmaLimit) {}

    /**
     * Checks the issue's model targets: the {@link #TIME_TARGETS} at {@link #TARGET_SHAPE} on one
     * thread, then the training step's two-thread speed-up for every cell of {@link #CELLS} at
     * every shape of {@link #ISSUE_SHAPES}. Every target gives exactly one row, in that order;
     * {@link Status#NOT_MEASURED} when its measurements are missing.
     *
     * @param times          the measurements (when one case appears twice the last one counts)
     * @param fmaLimitGflops the one-thread FMA limit, NaN when it was not measured
     */
    public static List<TargetCheck> checkTargets(Collection<ModelTime> times, double fmaLimitGflops) {
        Map<String, ModelTime> byCase = new LinkedHashMap<>();
        for (ModelTime t : times) {
            byCase.put(t.key(), t);
        }
        List<TargetCheck> out = new ArrayList<>();
        for (TimeTarget target : TIME_TARGETS) {
            ModelTime t = byCase.get(key(target.cell(), TARGET_SHAPE, 1, target.bench()));
            double flops = flops(target.cell(), TARGET_SHAPE, target.bench());
            Double atLimit = Reports.nullIfNaN(nanosAtLimit(flops, fmaLimitGflops) / 1e6);
            Double measured = t == null ? null : t.nanos() / 1e6;
            Status status = measured == null ? Status.NOT_MEASURED
                    : measured <= target.maxMillis() ? Status.MET : Status.MISSED;
            out.add(new TargetCheck(target.cell() + " " + target.bench().label() + ", one thread",
                    TARGET_SHAPE.pretty(), Kind.MAX_MILLISECONDS, target.maxMillis(), measured, status, flops,
                    atLimit));
        }
        for (String cell : CELLS) {
            for (ModelShape shape : ISSUE_SHAPES) {
                ModelTime one = byCase.get(key(cell, shape, 1, Bench.TRAINING_STEP));
                ModelTime two = byCase.get(key(cell, shape, 2, Bench.TRAINING_STEP));
                Double measured = one == null || two == null ? null : ReportMath.speedup(one.nanos(), two.nanos());
                Status status = measured == null ? Status.NOT_MEASURED
                        : measured >= TWO_THREAD_TARGET ? Status.MET : Status.MISSED;
                out.add(new TargetCheck("training step, two threads over one", cell + " " + shape.pretty(),
                        Kind.SPEEDUP, TWO_THREAD_TARGET, measured, status, null, null));
            }
        }
        return out;
    }
}
