package org.rnn4j.bench.stability;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The look shared by the report's charts: headless rendering, white background, readable fonts,
 * one colour per model, solid lines for measurements and dashed ones for bounds, log axes with a
 * tick per decade, and PNG output at a fixed size.
 */
final class Charts {
    static {
        // Must be set before any AWT class initialises its toolkit: charts are drawn without a display.
        System.setProperty("java.awt.headless", "true");
    }

    /** Measurements: solid. */
    static final Stroke SOLID = new BasicStroke(2f);
    /** Thinner solid line, for a second measured series of the same colour. */
    static final Stroke THIN = new BasicStroke(1.2f);
    /** Bounds and thresholds: dashed. */
    static final Stroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {8f, 6f}, 0f);
    /** A second kind of measurement in the same colour (e.g. the clipped run): dotted. */
    static final Stroke DOTTED = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
            new float[] {1f, 4f}, 0f);

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    /** A palette that stays apart for the colour-blind (Okabe–Ito). */
    static final List<Color> PALETTE = List.of(new Color(0xD55E00), new Color(0xE69F00), new Color(0x009E73),
            new Color(0x0072B2), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442));

    private Charts() {}

    /** The colour of a model, the same in every chart. */
    static Color color(ModelKind m) {
        return PALETTE.get(m.ordinal());
    }

    /** The {@code i}-th colour of the palette (wrapping). */
    static Color color(int i) {
        return PALETTE.get(Math.floorMod(i, PALETTE.size()));
    }

    static Shape dot(double size) {
        return new Ellipse2D.Double(-size / 2, -size / 2, size, size);
    }

    /** A plain axis with the report's fonts. */
    static NumberAxis numberAxis(String label) {
        NumberAxis a = new NumberAxis(label);
        style(a);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    /**
     * A base-10 log axis over whole decades covering [lo, hi] (positive data extremes, thresholds
     * included), one tick per decade (or per few when there are many), labelled by {@link DecadeFormat}.
     */
    static LogAxis logAxis(String label, double lo, double hi) {
        LogAxis a = new LogAxis(label);
        a.setBase(10);
        a.setSmallestValue(1e-300);
        a.setNumberFormatOverride(new DecadeFormat());
        style(a);
        if (!(lo > 0) || !Double.isFinite(lo)) {
            lo = 1e-3;
        }
        if (!(hi >= lo) || !Double.isFinite(hi)) {
            hi = lo * 10;
        }
        double l = Math.floor(Math.log10(lo));
        double h = Math.ceil(Math.log10(hi));
        if (h <= l) {
            h = l + 1;
        }
        a.setRange(Math.pow(10, l), Math.pow(10, h));
        a.setAutoTickUnitSelection(false);
        a.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil((h - l) / 14))));
        a.setMinorTickCount(0);
        return a;
    }

    /** The smallest positive finite value of the arrays, and {@code extra} values; NaN when none. */
    static double minPositive(double[]... arrays) {
        double m = Double.POSITIVE_INFINITY;
        for (double[] a : arrays) {
            for (double v : a) {
                if (v > 0 && Double.isFinite(v)) {
                    m = Math.min(m, v);
                }
            }
        }
        return Double.isInfinite(m) ? Double.NaN : m;
    }

    /** The largest finite value of the arrays; NaN when none. */
    static double maxFinite(double[]... arrays) {
        double m = Double.NEGATIVE_INFINITY;
        for (double[] a : arrays) {
            for (double v : a) {
                if (Double.isFinite(v)) {
                    m = Math.max(m, v);
                }
            }
        }
        return Double.isInfinite(m) ? Double.NaN : m;
    }

    /** A dashed horizontal line at {@code y}, labelled above it at the right (or left) end on a white ground. */
    static ValueMarker hline(double y, String label, boolean right) {
        ValueMarker m = new ValueMarker(y, Color.DARK_GRAY, DASHED);
        m.setLabel(label);
        m.setLabelFont(TICK);
        m.setLabelPaint(Color.DARK_GRAY);
        m.setLabelBackgroundColor(new Color(255, 255, 255, 220));
        m.setLabelAnchor(right ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(right ? TextAnchor.BOTTOM_RIGHT : TextAnchor.BOTTOM_LEFT);
        return m;
    }

    /** As {@link #hline}, labelled below the line at its right end (for two lines close together). */
    static ValueMarker hlineBelow(double y, String label) {
        ValueMarker m = hline(y, label, true);
        m.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        return m;
    }

    static void style(ValueAxis a) {
        a.setLabelFont(LABEL);
        a.setTickLabelFont(TICK);
    }

    /** An XY line chart with the given axes; series styles are set with {@link #line}. */
    static JFreeChart xy(String title, String subtitle, ValueAxis x, ValueAxis y, XYSeriesCollection data) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        XYPlot plot = new XYPlot(data, x, y, r);
        return finish(new JFreeChart(title, TITLE, plot, true), subtitle);
    }

    /** Background, grid, legend and subtitle of a chart. */
    static JFreeChart finish(JFreeChart chart, String subtitle) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot p) {
            p.setBackgroundPaint(Color.WHITE);
            p.setDomainGridlinePaint(new Color(0xDDDDDD));
            p.setRangeGridlinePaint(new Color(0xDDDDDD));
            p.setOutlinePaint(Color.GRAY);
        }
        if (subtitle != null && !subtitle.isEmpty()) {
            TextTitle t = new TextTitle(subtitle, SUBTITLE);
            t.setPosition(RectangleEdge.TOP);
            chart.addSubtitle(t);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LEGEND);
            legend.setFrame(BlockBorder.NONE);
            legend.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    /** Styles series {@code i} of an XY chart's first renderer. */
    static void line(JFreeChart chart, int i, Color color, Stroke stroke, boolean shapes) {
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        r.setSeriesPaint(i, color);
        r.setSeriesStroke(i, stroke);
        r.setSeriesShapesVisible(i, shapes);
        r.setSeriesShape(i, dot(7));
        r.setSeriesLinesVisible(i, true);
    }

    /** A series of the points whose y is finite (and positive when {@code positive}). */
    static XYSeries series(String key, double[] x, double[] y, boolean positive) {
        XYSeries s = new XYSeries(key, false, true);
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i]) && Double.isFinite(x[i]) && (!positive || y[i] > 0)) {
                s.add(x[i], y[i]);
            }
        }
        return s;
    }

    /** Writes the chart as a PNG of exactly width × height pixels. */
    static void save(JFreeChart chart, Path file, int width, int height) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    }

    /**
     * The data area the chart gets at width × height, found by drawing it once off-screen (for an
     * equal aspect ratio, the axis ranges must match its sides).
     */
    static Rectangle2D dataArea(JFreeChart chart, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            ChartRenderingInfo info = new ChartRenderingInfo();
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
            return info.getPlotInfo().getDataArea();
        } finally {
            g.dispose();
        }
    }
}
