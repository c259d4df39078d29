package org.rnn4j.bench.stability;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, one method per chart, each drawn from the report's records only. File
 * names are fixed ({@link #THROUGHPUT}, ...) or numbered ({@link #e1(int)}), so the Markdown can
 * link them from the records alone.
 */
public final class StabilityCharts {
    public static final String THROUGHPUT = "throughput.png";
    public static final String E2_SUCCESS = "e2-success.png";
    public static final String E5_RHO = "e5-rho.png";
    public static final String E5_SIGMA = "e5-sigma.png";
    public static final String E5_LOSS = "e5-loss.png";
    public static final String E3_LOSS = "e3-loss.png";
    public static final String E3_GRADIENT = "e3-gradient-norm.png";
    public static final String E4_BEFORE = "e4-before.png";
    public static final String E4_AFTER = "e4-after.png";

    /** The top of E5's loss axis: larger values (a transient blow-up) run off the chart, and its subtitle says so. */
    public static final double E5_LOSS_MAX = 10;

    /** The top of E3's loss axis (blown-up runs run off it; the subtitle gives their maximum). */
    public static final double E3_LOSS_MAX = 1e6;

    /** E1's y range, log10: curves beyond it are cut at the plot's edge (the report says so). */
    public static final double E1_Y_MIN = -40;
    public static final double E1_Y_MAX = 10;

    private StabilityCharts() {}

    /** The file of E1's {@code i}-th curve. */
    public static String e1(int i) {
        return "e1-lag-" + (i + 1) + ".png";
    }

    /** The file of the {@code i}-th eigenvalue plot. */
    public static String eigen(int i) {
        return "eigenvalues-" + (i + 1) + ".png";
    }

    /** Draws every chart the report has data for into {@code dir}; returns the file names written. */
    public static List<String> writeAll(StabilityReport r, Path dir) throws IOException {
        int w = r.config().chartWidth();
        int h = r.config().chartHeight();
        List<String> out = new ArrayList<>();
        if (r.throughput() != null && !r.throughput().timings().isEmpty()) {
            Charts.save(throughput(r.throughput()), dir.resolve(THROUGHPUT), w, h);
            out.add(THROUGHPUT);
        }
        if (r.e2() != null) {
            Charts.save(success(r.e2()), dir.resolve(E2_SUCCESS), w, h);
            out.add(E2_SUCCESS);
            if (!r.e2().spectraRuns().isEmpty()) {
                Charts.save(spectra(r.e2(), true), dir.resolve(E5_RHO), w, h);
                Charts.save(spectra(r.e2(), false), dir.resolve(E5_SIGMA), w, h);
                Charts.save(e5Loss(r.e2()), dir.resolve(E5_LOSS), w, h);
                out.addAll(List.of(E5_RHO, E5_SIGMA, E5_LOSS));
            }
        }
        if (r.e3() != null) {
            Charts.save(e3(r.e3(), true), dir.resolve(E3_LOSS), w, h);
            Charts.save(e3(r.e3(), false), dir.resolve(E3_GRADIENT), w, h);
            out.addAll(List.of(E3_LOSS, E3_GRADIENT));
        }
        if (r.e1() != null) {
            for (int i = 0; i < r.e1().curves().size(); i++) {
                Charts.save(e1(r.e1(), r.e1().curves().get(i)), dir.resolve(e1(i)), w, h);
                out.add(e1(i));
            }
        }
        if (r.e4() != null) {
            Charts.save(e4(r.e4(), true), dir.resolve(E4_BEFORE), w, h);
            Charts.save(e4(r.e4(), false), dir.resolve(E4_AFTER), w, h);
            out.addAll(List.of(E4_BEFORE, E4_AFTER));
        }
        if (r.eigenvalues() != null) {
            for (int i = 0; i < r.eigenvalues().size(); i++) {
                Charts.save(eigen(r.eigenvalues().get(i), w, h), dir.resolve(eigen(i)), w, h);
                out.add(eigen(i));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // Throughput.
    // ---------------------------------------------------------------------------------------

    static String benchLabel(String bench) {
        return switch (bench) {
            case "forward" -> "forward";
            case "forwardBackward" -> "forward + backward";
            case "trainingStep" -> "training step";
            case "singleStep" -> "batch-1 single step";
            default -> bench;
        };
    }

    static JFreeChart throughput(ThroughputResult t) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String bench : Throughput.BENCHMARKS) {
            Timing rnn = t.find("RNN", bench);
            Timing lstm = t.find("LSTM", bench);
            String cat = benchLabel(bench) + (rnn != null && lstm != null
                    ? String.format(Locale.ROOT, " — LSTM/RNN %.1f×", lstm.nanos() / rnn.nanos()) : "");
            for (String cell : Throughput.CELLS) {
                Timing x = t.find(cell, bench);
                if (x != null) {
                    data.addValue(x.nanos() / 1e3, cell, cat);
                }
            }
        }
        double[] us = t.timings().stream().mapToDouble(tm -> tm.nanos() / 1e3).toArray();
        double lo = Charts.minPositive(us) / 2;
        LogAxis y = Charts.logAxis("time per call (µs, log scale)", lo, Charts.maxFinite(us) * 10);
        CategoryAxis x = new CategoryAxis("benchmark (one thread)");
        x.setLabelFont(Charts.LABEL);
        x.setTickLabelFont(Charts.TICK);
        x.setMaximumCategoryLabelLines(2);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setBase(y.getLowerBound()); // bars start at the bottom of the log axis, not at 0
        r.setIncludeBaseInRange(false);
        r.setItemMargin(0.05);
        r.setSeriesPaint(0, Charts.color(ModelKind.TANH));
        r.setSeriesPaint(1, Charts.color(ModelKind.LSTM));
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2} µs",
                new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(Charts.TICK);
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        String shape = t.settings().shape();
        JFreeChart chart = new JFreeChart("RNN vs LSTM throughput", Charts.TITLE, plot, true);
        return Charts.finish(chart, "B×T×D×H = " + shape.replace("x", "×") + "; single step: B = T = 1, D = H = "
                + t.settings().stepSize() + "; JMH mean per call, lower is better");
    }

    // ---------------------------------------------------------------------------------------
    // E2: success against length.
    // ---------------------------------------------------------------------------------------

    static JFreeChart success(AddingResult e2) {
        AddingSettings s = e2.settings();
        List<ModelKind> models = s.models();
        List<Integer> lengths = s.lengths();
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        Shape solved = Charts.dot(10);
        Shape notWithin = ShapeUtils.createDiagonalCross(6, 1.5f);
        Shape nonFinite = ShapeUtils.createUpTriangle(6);
        Shape capped = new Rectangle2D.Double(-5, -5, 10, 10);
        int series = 0;
        XYPlot plot = new XYPlot();
        double groupWidth = 0.8;
        for (int mi = 0; mi < models.size(); mi++) {
            ModelKind m = models.get(mi);
            for (Outcome o : Outcome.values()) {
                XYSeries xs = new XYSeries(m.label() + " " + o, false, true);
                for (int ti = 0; ti < lengths.size(); ti++) {
                    List<AddingRun> runs = e2.runs(m, lengths.get(ti));
                    for (int k = 0; k < runs.size(); k++) {
                        AddingRun run = runs.get(k);
                        if (run.outcome() != o) {
                            continue;
                        }
                        double x = ti + offset(mi, models.size(), groupWidth) + (k - (runs.size() - 1) / 2.0) * 0.05;
                        double y = switch (o) {
                            case SOLVED -> run.stepsToSuccess();
                            case NOT_WITHIN_BUDGET -> run.budget();
                            default -> run.stepsRun();
                        };
                        xs.add(x, y);
                    }
                }
                if (xs.getItemCount() == 0) {
                    continue;
                }
                data.addSeries(xs);
                r.setSeriesPaint(series, Charts.color(m));
                r.setSeriesShape(series, switch (o) {
                    case SOLVED -> solved;
                    case NOT_WITHIN_BUDGET -> notWithin;
                    case NON_FINITE -> nonFinite;
                    case TIME_CAP -> capped;
                });
                r.setSeriesShapesFilled(series, o != Outcome.TIME_CAP);
                series++;
            }
        }
        String[] names = lengths.stream().map(t -> "T = " + t).toArray(String[]::new);
        SymbolAxis x = new SymbolAxis("sequence length T (adding problem)", names);
        Charts.style(x);
        x.setRange(-0.5, lengths.size() - 0.5);
        x.setGridBandsVisible(false);
        NumberAxis y = Charts.numberAxis("training steps to moving-mean MSE < " + fmt(s.successMse()));
        y.setRange(0, s.budget() * 1.12);
        plot.setDataset(data);
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        plot.setRenderer(r);
        plot.addRangeMarker(new ValueMarker(s.budget(), Color.DARK_GRAY, Charts.DASHED));
        // "k/n solved" above every group.
        for (int mi = 0; mi < models.size(); mi++) {
            for (int ti = 0; ti < lengths.size(); ti++) {
                List<AddingRun> runs = e2.runs(models.get(mi), lengths.get(ti));
                long ok = runs.stream().filter(a -> a.outcome() == Outcome.SOLVED).count();
                XYTextAnnotation a = new XYTextAnnotation(ok + "/" + runs.size(),
                        ti + offset(mi, models.size(), groupWidth), s.budget() * 1.07);
                a.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                a.setPaint(Charts.color(models.get(mi)));
                plot.addAnnotation(a);
            }
        }
        LegendItemCollection legend = new LegendItemCollection();
        for (ModelKind m : models) {
            legend.add(item(m.label() + " (lr " + fmt(s.learningRate(m)) + ")", solved, Charts.color(m), true));
        }
        legend.add(item("not within budget (drawn at the budget)", notWithin, Color.DARK_GRAY, true));
        legend.add(item("non-finite (at its step)", nonFinite, Color.DARK_GRAY, true));
        legend.add(item("cut by the time cap", capped, Color.DARK_GRAY, false));
        legend.add(new LegendItem("budget: " + s.budget() + " steps", null, null, null, false, Charts.dot(1), false,
                Color.DARK_GRAY, false, Color.DARK_GRAY, Charts.THIN, true,
                new java.awt.geom.Line2D.Double(-12, 0, 12, 0), Charts.DASHED, Color.DARK_GRAY));
        plot.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart("E2: adding problem, steps to success vs length", Charts.TITLE, plot, true);
        return Charts.finish(chart, "one mark per seed; k/n = seeds solved; H = " + s.hidden() + ", B = " + s.batch()
                + ", Adam, success = mean training MSE over " + s.window() + " steps < " + fmt(s.successMse())
                + " (baseline " + fmt(e2.baselineMse()) + ")");
    }

    private static double offset(int i, int n, double width) {
        return n == 1 ? 0 : -width / 2 + width * (i + 0.5) / n;
    }

    private static LegendItem item(String label, Shape shape, Color color, boolean filled) {
        Shape noLine = new java.awt.geom.Line2D.Double(-7, 0, 7, 0);
        return new LegendItem(label, null, null, null, true, shape, filled, color, !filled, color,
                new BasicStroke(1.5f), false, noLine, Charts.THIN, color);
    }

    // ---------------------------------------------------------------------------------------
    // E5: spectra and loss over training.
    // ---------------------------------------------------------------------------------------

    static JFreeChart spectra(AddingResult e2, boolean rho) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<AddingRun> runs = e2.spectraRuns();
        for (AddingRun run : runs) {
            double[] x = run.samples().stream().mapToDouble(TrainingSample::step).toArray();
            double[] y = run.samples().stream().mapToDouble(rho ? TrainingSample::maxRho : TrainingSample::maxSigma)
                    .toArray();
            String label = run.model().label() + (run.model().gates() > 1 ? " (max over i, f, g, o)" : "");
            data.addSeries(Charts.series(label, x, y, false));
        }
        String what = rho ? "ρ(W_hh)" : "σ_max(W_hh)";
        NumberAxis y = Charts.numberAxis(what + " of layer 0");
        y.setAutoRangeIncludesZero(true);
        JFreeChart chart = Charts.xy("E5: " + what + " over training (adding, T = " + e2.settings().spectraLength() + ")",
                "seed " + (runs.isEmpty() ? "?" : runs.getFirst().seed()) + ", sampled every "
                        + e2.settings().sampleEvery() + " steps; a run ends when it succeeds; dashed: " + what + " = 1",
                Charts.numberAxis("training step"), y, data);
        for (int i = 0; i < runs.size(); i++) {
            Charts.line(chart, i, Charts.color(runs.get(i).model()), Charts.SOLID, false);
        }
        chart.getXYPlot().addRangeMarker(Charts.hline(1, rho ? "ρ = 1" : "σ_max = 1", true));
        return chart;
    }

    static JFreeChart e5Loss(AddingResult e2) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<AddingRun> runs = e2.spectraRuns();
        double lo = e2.settings().successMse();
        double hi = e2.baselineMse();
        for (AddingRun run : runs) {
            double[] x = run.samples().stream().mapToDouble(TrainingSample::step).toArray();
            double[] y = run.samples().stream().mapToDouble(TrainingSample::meanLoss).toArray();
            data.addSeries(Charts.series(run.model().label(), x, y, true));
            lo = Math.min(lo, Charts.minPositive(y));
            hi = Math.max(hi, Charts.maxFinite(y));
        }
        // A blow-up early in a run would squash the curves near the threshold: cut the axis at E5_LOSS_MAX.
        boolean cut = hi > E5_LOSS_MAX;
        JFreeChart chart = Charts.xy("E5: training loss (adding, T = " + e2.settings().spectraLength() + ")",
                "mean training MSE over " + e2.settings().window() + " steps; dashed: baseline "
                        + fmt(e2.baselineMse()) + " and success " + fmt(e2.settings().successMse())
                        + (cut ? String.format(Locale.ROOT, "; y cut at %s (max %.3g)", fmt(E5_LOSS_MAX), hi) : ""),
                Charts.numberAxis("training step"), Charts.logAxis("MSE (log scale)", lo, Math.min(hi, E5_LOSS_MAX)),
                data);
        for (int i = 0; i < runs.size(); i++) {
            Charts.line(chart, i, Charts.color(runs.get(i).model()), Charts.SOLID, false);
        }
        chart.getXYPlot().addRangeMarker(Charts.hline(e2.baselineMse(), "baseline 1/6", true));
        chart.getXYPlot().addRangeMarker(Charts.hline(e2.settings().successMse(),
                "success: MSE " + fmt(e2.settings().successMse()), true));
        return chart;
    }

    // ---------------------------------------------------------------------------------------
    // E3: exploding gradients.
    // ---------------------------------------------------------------------------------------

    static JFreeChart e3(ExplodingResult e3, boolean loss) {
        ExplodingSettings s = e3.settings();
        XYSeriesCollection data = new XYSeriesCollection();
        List<ExplodingRun> runs = e3.runs();
        double lo = loss ? e3.baselineMse() / 10 : s.clipNorm(); // room for the baseline label below its line
        double hi = loss ? s.divergeFactor() * e3.baselineMse() : s.clipNorm();
        List<Integer> blownUp = new ArrayList<>();
        for (ExplodingRun run : runs) {
            double[] y = loss ? run.loss() : run.gradientNorm();
            lo = Math.min(lo, Charts.minPositive(y));
            hi = Math.max(hi, Charts.maxFinite(y));
            double[] x = new double[y.length];
            Arrays.setAll(x, i -> i + 1);
            data.addSeries(Charts.series("ρ = " + fmt(run.radius()) + (run.clipped() ? ", clipped" : ", unclipped")
                    + (run.stayedFinite() ? "" : " (✕ non-finite at step " + run.nonFiniteAtStep() + ")"), x, y, true));
        }
        // The last finite point of every run that went non-finite, marked ✕ (not in the legend).
        for (int i = 0; i < runs.size(); i++) {
            ExplodingRun run = runs.get(i);
            double[] y = loss ? run.loss() : run.gradientNorm();
            double top = loss ? E3_LOSS_MAX : Double.MAX_VALUE;
            if (!run.stayedFinite() && y.length > 0 && y[y.length - 1] > 0 && y[y.length - 1] <= top) {
                XYSeries end = new XYSeries("end " + i, false, true);
                end.add(y.length, y[y.length - 1]);
                data.addSeries(end);
                blownUp.add(i);
            }
        }
        // The loss of a blown-up run reaches ~1e36: cut the axis so the clipped runs near the baseline stay readable.
        boolean cut = loss && hi > E3_LOSS_MAX;
        JFreeChart chart = Charts.xy(loss ? "E3: loss, tanh RNN with ρ(W_hh) > 1" : "E3: gradient norm before clipping",
                "T = " + s.length() + ", H = " + s.hidden() + ", SGD lr " + fmt(s.learningRate())
                        + "; solid: unclipped, dotted: clipped at " + fmt(s.clipNorm())
                        + (cut ? String.format(Locale.ROOT, "; y cut at %s (max %.3g)", DecadeFormat.label(E3_LOSS_MAX), hi)
                                : "; ✕ = last finite step"),
                Charts.numberAxis("training step"),
                Charts.logAxis(loss ? "loss (MSE, log scale)" : "global gradient norm (log scale)", lo,
                        cut ? E3_LOSS_MAX : hi), data);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < runs.size(); i++) {
            Charts.line(chart, i, e3Color(s, runs.get(i)), runs.get(i).clipped() ? Charts.DOTTED : Charts.SOLID, false);
        }
        for (int k = 0; k < blownUp.size(); k++) {
            int series = runs.size() + k;
            renderer.setSeriesPaint(series, e3Color(s, runs.get(blownUp.get(k))));
            renderer.setSeriesLinesVisible(series, false);
            renderer.setSeriesShapesVisible(series, true);
            renderer.setSeriesShape(series, ShapeUtils.createDiagonalCross(6, 1.5f));
            renderer.setSeriesVisibleInLegend(series, false);
        }
        if (loss) {
            plot.addRangeMarker(Charts.hline(s.divergeFactor() * e3.baselineMse(),
                    "diverged: " + fmt(s.divergeFactor()) + "× baseline", true));
            plot.addRangeMarker(Charts.hlineBelow(e3.baselineMse(), "baseline 1/6"));
        } else {
            plot.addRangeMarker(Charts.hline(s.clipNorm(), "clip threshold " + fmt(s.clipNorm()), true));
        }
        return chart;
    }

    /** One colour per radius: green, blue, then red for the largest of three. */
    private static Color e3Color(ExplodingSettings s, ExplodingRun run) {
        int ri = s.radii().indexOf(run.radius());
        return Charts.color(switch (ri) {
            case 0 -> 2;
            case 1 -> 3;
            case 2 -> 0;
            default -> ri + 2;
        });
    }

    // ---------------------------------------------------------------------------------------
    // E1, E4, eigenvalues (lead's experiments).
    // ---------------------------------------------------------------------------------------

    static JFreeChart e1(E1Result e1, LagCurve c) {
        XYSeriesCollection data = new XYSeriesCollection();
        double[][] ys = {c.log10JacobianNorm(), c.log10ErrorRatio(), c.log10UniformBound(), c.log10TrajectoryBound()};
        String[] names = {"‖∂h_T/∂h_k‖₂", "‖∂L_T/∂h_k‖ / ‖∂L_T/∂h_T‖", "uniform bound (γ_W γ_h)^d",
                "trajectory bound"};
        for (int i = 0; i < ys.length; i++) {
            double[] y = ys[i] == null ? new double[0] : ys[i];
            double[] x = new double[y.length];
            Arrays.setAll(x, d -> d);
            data.addSeries(Charts.series(names[i], x, y, false));
        }
        NumberAxis y = Charts.numberAxis("log10(value)");
        y.setRange(E1_Y_MIN, E1_Y_MAX);
        JFreeChart chart = Charts.xy("E1: gradient vs lag — " + c.label(),
                "at initialisation, T = " + e1.steps() + ", H = " + e1.hidden() + "; y clipped to ["
                        + (int) E1_Y_MIN + ", " + (int) E1_Y_MAX + "]; solid: measured, dashed: bounds",
                Charts.numberAxis("lag d = T − k (steps)"), y, data);
        Charts.line(chart, 0, Charts.color(3), Charts.SOLID, false);
        Charts.line(chart, 1, Charts.color(0), Charts.SOLID, false);
        Charts.line(chart, 2, Charts.color(2), Charts.DASHED, false);
        Charts.line(chart, 3, Charts.color(4), Charts.DASHED, false);
        return chart;
    }

    static JFreeChart e4(E4Result e4, boolean before) {
        double[] full = finite(before ? e4.log10FullBefore() : e4.log10FullAfter());
        double[] forget = finite(before ? e4.log10ForgetBefore() : e4.log10ForgetAfter());
        double lo = Math.min(min(full), min(forget));
        double hi = Math.max(max(full), max(forget));
        if (!(hi > lo)) {
            lo -= 0.5;
            hi += 0.5;
        }
        lo = Math.min(lo, -0.05);
        hi = Math.max(hi, 0.05);
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.RELATIVE_FREQUENCY);
        if (full.length > 0) {
            data.addSeries("full ∂C_t/∂C_{t−1}", full, 60, lo, hi);
        }
        if (forget.length > 0) {
            data.addSeries("diag(f_t) alone", forget, 60, lo, hi);
        }
        XYBarRenderer r = new XYBarRenderer(0);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0, 114, 178, 150));
        r.setSeriesPaint(1, new Color(213, 94, 0, 150));
        NumberAxis x = Charts.numberAxis("log10 ‖∂C_t/∂C_{t−1}‖₂ per step and sequence");
        NumberAxis y = Charts.numberAxis("fraction of steps");
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, x, y, r);
        ValueMarker one = new ValueMarker(0, Color.BLACK, Charts.DASHED);
        one.setLabel("norm 1");
        one.setLabelBackgroundColor(new Color(255, 255, 255, 220));
        one.setLabelFont(Charts.TICK);
        one.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        one.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(one);
        JFreeChart chart = new JFreeChart("E4: LSTM cell-state Jacobian, " + (before ? "at initialisation"
                : "after " + e4.trainingSteps() + " training steps"), Charts.TITLE, plot, true);
        return Charts.finish(chart, e4.task() + "; " + full.length + " norms pooled over steps and sequences");
    }

    static JFreeChart eigen(EigenPlot p, int width, int height) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(Charts.series("eigenvalues λ of W_hh", p.re(), p.im(), false));
        double radius = 1;
        for (int i = 0; i < p.re().length; i++) {
            double m = Math.hypot(p.re()[i], p.im()[i]);
            if (Double.isFinite(m)) {
                radius = Math.max(radius, m);
            }
        }
        radius *= 1.1;
        NumberAxis x = Charts.numberAxis("Re λ");
        NumberAxis y = Charts.numberAxis("Im λ");
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        r.setSeriesPaint(0, Charts.color(3));
        r.setSeriesShape(0, Charts.dot(7));
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.addAnnotation(new XYShapeAnnotation(new Ellipse2D.Double(-1, -1, 2, 2), Charts.DASHED, Color.DARK_GRAY));
        XYTextAnnotation label = new XYTextAnnotation("unit circle |λ| = 1", 0.72, 0.72);
        label.setFont(Charts.TICK);
        label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addAnnotation(label);
        JFreeChart chart = Charts.finish(new JFreeChart("Eigenvalues of W_hh — " + p.label(), Charts.TITLE, plot, true),
                p.re().length + " eigenvalues; equal scales on both axes");
        x.setRange(-radius, radius);
        y.setRange(-radius, radius);
        Rectangle2D area = Charts.dataArea(chart, width, height);
        double aspect = area.getWidth() / area.getHeight();
        if (aspect >= 1) {
            x.setRange(-radius * aspect, radius * aspect);
        } else {
            y.setRange(-radius / aspect, radius / aspect);
        }
        return chart;
    }

    // ---------------------------------------------------------------------------------------

    private static double[] finite(double[] v) {
        return v == null ? new double[0] : Arrays.stream(v).filter(Double::isFinite).toArray();
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    /** A number for a chart label: up to 4 significant digits, no trailing zeros. */
    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.valueOf((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return s.replaceAll("\\.?0+e", "e");
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
