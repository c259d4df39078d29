package org.rnn4j.bench.stability;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The terminal's view of a part of the report: a progress bar (me.tongfei:progressbar: what runs
 * now, elapsed, estimated time left) over the part's work units, or plain lines every few seconds
 * when the bar cannot be drawn (no terminal library, or it fails). Thread-safe: E2's workers
 * report from two threads.
 */
final class TerminalProgress implements ProgressSink, AutoCloseable {
    private static final long LINE_EVERY_NANOS = 5_000_000_000L;

    private final String part;
    private final long max;
    private final PrintStream lines;
    private final ProgressBar bar;
    private final long start = System.nanoTime();
    private long done;
    private String what = "";
    private long lastLine;

    /**
     * @param part  shown before the bar, e.g. "E2+E5 (2/4)"
     * @param max   work units of the part
     * @param lines where the fallback lines go
     * @param useBar false: print lines only
     * @param unit   the bar's unit, e.g. " s" (null: plain counts), and how many work units make one
     */
    TerminalProgress(String part, long max, PrintStream lines, boolean useBar, String unit, long unitSize) {
        this.part = part;
        this.max = Math.max(1, max);
        this.lines = lines;
        ProgressBar b = null;
        if (useBar) {
            try {
                ProgressBarBuilder pb = new ProgressBarBuilder().setTaskName(part).setInitialMax(this.max)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate()
                        .setMaxRenderedLength(120);
                if (unit != null) {
                    pb.setUnit(unit, Math.max(1, unitSize));
                }
                b = pb.build();
            } catch (RuntimeException | LinkageError e) {
                lines.println("(progress bar unavailable: " + e + "; printing lines)");
            }
        }
        this.bar = b;
        lines.println("== " + part + " ==");
    }

    @Override
    public synchronized void advance(long units, String what) {
        done = Math.min(max, done + units);
        if (what != null) {
            this.what = what;
        }
        if (bar != null) {
            bar.stepTo(done);
            if (what != null) {
                bar.setExtraMessage(" " + what);
            }
            return;
        }
        long now = System.nanoTime();
        if (now - lastLine > LINE_EVERY_NANOS || done == max) {
            lastLine = now;
            double elapsed = (now - start) / 1e9;
            double frac = done / (double) max;
            String left = frac > 0.01 ? format(elapsed / frac - elapsed) : "?";
            lines.printf(Locale.ROOT, "%s %5.1f%%  elapsed %s, about %s left  %s%n", part, 100 * frac,
                    format(elapsed), left, this.what);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.stepTo(max);
            bar.close();
        }
        lines.printf(Locale.ROOT, "%s done in %s%n", part, format((System.nanoTime() - start) / 1e9));
    }

    static String format(double seconds) {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
