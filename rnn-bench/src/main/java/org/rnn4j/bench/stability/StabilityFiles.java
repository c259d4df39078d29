package org.rnn4j.bench.stability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a report folder: {@code stability.json}, {@code stability.md} and the charts it links. */
public final class StabilityFiles {
    public static final String JSON = "stability.json";
    public static final String MARKDOWN = "stability.md";

    private StabilityFiles() {}

    /** Writes everything into {@code dir} (created if needed); returns the files written. */
    public static List<Path> write(StabilityReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (String chart : StabilityCharts.writeAll(report, dir)) {
            out.add(dir.resolve(chart));
        }
        Path json = dir.resolve(JSON);
        Files.writeString(json, StabilityJson.toJson(report), StandardCharsets.UTF_8);
        Path md = dir.resolve(MARKDOWN);
        Files.writeString(md, StabilityMarkdown.render(report), StandardCharsets.UTF_8);
        out.add(json);
        out.add(md);
        return out;
    }
}
