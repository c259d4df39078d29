package org.rnn4j.bench.stability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StabilityFilesTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** The image links of a Markdown page, in order. */
    static List<String> images(String md) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(md);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Every chart the Markdown links exists and is a PNG of the configured size. */
    static void assertChartsLinkedAndSized(StabilityReport r, Path dir) throws Exception {
        String md = Files.readString(dir.resolve(StabilityFiles.MARKDOWN), StandardCharsets.UTF_8);
        List<String> links = images(md);
        assertFalse(links.isEmpty());
        for (String link : links) {
            Path png = dir.resolve(link);
            assertTrue(Files.isRegularFile(png), "linked but missing: " + link);
            byte[] bytes = Files.readAllBytes(png);
            byte[] head = new byte[8];
            System.arraycopy(bytes, 0, head, 0, 8);
            assertArrayEquals(PNG, head, link);
            assertEquals("IHDR", new String(bytes, 12, 4, StandardCharsets.US_ASCII), link);
            ByteBuffer b = ByteBuffer.wrap(bytes, 16, 8); // big-endian width, height
            assertEquals(r.config().chartWidth(), b.getInt(), link + " width");
            assertEquals(r.config().chartHeight(), b.getInt(), link + " height");
        }
    }

    @Test
    void everyPartPresentWritesEveryChartAndTheMarkdownLinksThemAll(@TempDir Path dir) throws Exception {
        StabilityReport r = Synthetic.report(true);
        List<Path> written = StabilityFiles.write(r, dir);
        assertChartsLinkedAndSized(r, dir);
        String md = Files.readString(dir.resolve(StabilityFiles.MARKDOWN), StandardCharsets.UTF_8);
        List<String> links = images(md);
        // every chart written is linked, and the other way round
        List<String> pngs = written.stream().map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).toList();
        assertEquals(pngs.stream().sorted().toList(), links.stream().sorted().toList());
        assertTrue(links.containsAll(List.of(StabilityCharts.e1(0), StabilityCharts.e1(1), StabilityCharts.E4_BEFORE,
                StabilityCharts.eigen(1), StabilityCharts.E2_SUCCESS, StabilityCharts.E5_RHO, StabilityCharts.E3_LOSS,
                StabilityCharts.THROUGHPUT)), links.toString());
        assertFalse(md.contains("not run**"), md);
        // E4's table: the synthetic "before" norms are all below 1 and within ~0.02 of diag(f)
        assertTrue(md.contains("| before training | 0.000 |"), md);
        assertTablesAreRectangular(md);
    }

    /** Every row of every Markdown table has as many cells as the table's header (pipes in text escaped). */
    static void assertTablesAreRectangular(String md) {
        int cells = -1;
        for (String line : md.split("\n")) {
            if (!line.startsWith("|")) {
                cells = -1;
                continue;
            }
            int n = line.split("(?<!\\\\)\\|", -1).length;
            if (cells < 0) {
                cells = n;
            }
            assertEquals(cells, n, "table row with another number of cells: " + line);
        }
    }

    @Test
    void leadExperimentsNotWiredAreSaidToBeNotRun(@TempDir Path dir) throws Exception {
        StabilityReport r = Synthetic.report(false);
        StabilityFiles.write(r, dir);
        assertChartsLinkedAndSized(r, dir);
        String md = Files.readString(dir.resolve(StabilityFiles.MARKDOWN), StandardCharsets.UTF_8);
        assertTrue(md.contains("**E1: not run** — E1 not wired yet."), md);
        assertTrue(md.contains("**E4: not run** — E4 not wired yet."), md);
        assertTrue(md.contains("**Eigenvalue plot: not run** — eigenvalue plot not wired yet."), md);
        assertFalse(Files.exists(dir.resolve(StabilityCharts.e1(0))));
        assertTablesAreRectangular(md);
    }

    @Test
    void jsonRoundTripsEveryFigureIncludingNaN() throws Exception {
        StabilityReport r = Synthetic.report(true);
        String json = StabilityJson.toJson(r);
        StabilityReport back = StabilityJson.fromJson(json);
        assertEquals(json, StabilityJson.toJson(back));
        assertTrue(Double.isNaN(back.e1().curves().getFirst().log10TrajectoryBound()[0]));
        assertEquals(-0.3 * 5, back.e1().curves().getFirst().log10JacobianNorm()[5], 0);
        assertEquals(StabilityMarkdown.render(r), StabilityMarkdown.render(back));
        assertEquals(r.claims(), back.claims());
        assertEquals(Outcome.NON_FINITE, back.e2().runs(ModelKind.IRNN, 200).get(2).outcome());
        assertArrayEquals(r.e3().runs().getFirst().gradientNorm(), back.e3().runs().getFirst().gradientNorm(), 0);
    }

    @Test
    void decadeLabelsArePlainInTheMiddleAndScientificOutside() {
        assertEquals("0.01", DecadeFormat.label(0.01));
        assertEquals("1", DecadeFormat.label(1));
        assertEquals("100,000", DecadeFormat.label(1e5));
        assertEquals("1E40", DecadeFormat.label(1e40));
        assertEquals("1E-7", DecadeFormat.label(1e-7));
    }
}
