package org.rnn4j.bench.stability;

/** The B x T x D x H shape strings of {@link StabilityThroughputBenchmark}. */
final class ThroughputShape {
    private ThroughputShape() {}

    /**
     * {B, T, D, H} of e.g. {@code "32x100x64x128"}.
     *
     * @throws IllegalArgumentException naming the string when it is not four positive integers
     */
    static int[] parse(String shape) {
        String[] p = shape == null ? new String[0] : shape.trim().split("x");
        if (p.length != 4) {
            throw new IllegalArgumentException("a shape must be BxTxDxH, got '" + shape + "'");
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                out[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a shape must be BxTxDxH, got '" + shape + "'", e);
            }
            if (out[i] < 1) {
                throw new IllegalArgumentException("every size of a shape must be >= 1, got '" + shape + "'");
            }
        }
        return out;
    }
}
