package org.rnn4j.simd;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that picks the kernels (Lucene's vectorization-provider pattern).
 *
 * <p>{@link #get()} returns the Vector API kernels when the module {@code jdk.incubator.vector} is
 * readable, the JIT is HotSpot C2 and the preferred float species is at least 128 bits wide;
 * otherwise the scalar kernels. The choice is logged once (slf4j, logger
 * {@code org.rnn4j.simd.KernelProvider}) with the species width, and on fallback with the reason
 * and how to enable SIMD. The system property {@value #PROPERTY} = {@code scalar} | {@code vector}
 * | {@code auto} (default) forces the choice; forcing {@code vector} where it cannot run fails
 * with the reason.
 */
public final class KernelProvider {
    /** System property that forces the kernels: {@code auto}, {@code scalar} or {@code vector}. */
    public static final String PROPERTY = "rnn4j.kernels";

    /** GEMMs with fewer floating-point operations (2·m·n·k) than this run on one thread. */
    public static final long PARALLEL_MIN_FLOPS = 2L * 96 * 96 * 96;

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String HOW_TO_ENABLE = "to enable SIMD kernels run on HotSpot with C2 and add "
            + "'--add-modules " + VECTOR_MODULE + "' to the java command line (the module path "
            + "does this by itself: org.rnn4j.simd requires it)";

    private static final Logger LOG = LoggerFactory.getLogger(KernelProvider.class);

    /** Why the vector kernels cannot run here, or null when they can. */
    private static final String VECTOR_UNAVAILABLE = vectorUnavailable();
    private static final Kernels BEST = lookup();

    private KernelProvider() {}

    /** The kernels chosen for this JVM (see the class comment), single-threaded. */
    public static Kernels get() {
        return BEST;
    }

    /** The scalar reference kernels. */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /**
     * The Vector API kernels.
     *
     * @throws UnsupportedOperationException naming the reason when they cannot run on this JVM
     */
    public static Kernels vector() {
        if (VECTOR_UNAVAILABLE != null) {
            throw new UnsupportedOperationException("vector kernels unavailable: "
                    + VECTOR_UNAVAILABLE + "; " + HOW_TO_ENABLE);
        }
        return VectorKernels.INSTANCE;
    }

    /** Why the vector kernels cannot run on this JVM; empty when they can. */
    public static Optional<String> vectorUnavailableReason() {
        return Optional.ofNullable(VECTOR_UNAVAILABLE);
    }

    /** The decision {@link #get()} made: which kernels and, when not the vector ones, why. */
    record Choice(String kind, String reason) {}

    /** Pure decision function, separate from the probing so that tests can drive every branch. */
    static Choice choose(String forced, String vectorUnavailable) {
        String mode = forced == null ? "auto" : forced.trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "", "auto" -> vectorUnavailable == null
                    ? new Choice("vector", null)
                    : new Choice("scalar", vectorUnavailable);
            case "scalar" -> new Choice("scalar", "forced by -D" + PROPERTY + "=scalar");
            case "vector" -> {
                if (vectorUnavailable != null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=vector, but " + vectorUnavailable
                            + "; " + HOW_TO_ENABLE);
                }
                yield new Choice("vector", null);
            }
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, scalar or vector, got '"
                    + forced + "'");
        };
    }

    /**
     * Why this JVM cannot run the vector kernels, or null. Each test is its own clause so the log
     * says exactly which one failed.
     */
    static String vectorUnavailable(boolean moduleReadable, boolean c2, int preferredBits) {
        if (!moduleReadable) {
            return "module " + VECTOR_MODULE + " is not readable (not in the boot layer)";
        }
        if (!c2) {
            return "the JIT is not HotSpot C2 (interpreter only, or -XX:TieredStopAtLevel < 4), "
                    + "so the Vector API would not be compiled to SIMD instructions";
        }
        if (preferredBits < 128) {
            return "the preferred float vector species is " + preferredBits + " bits (< 128)";
        }
        return null;
    }

    private static String vectorUnavailable() {
        Optional<Module> module = ModuleLayer.boot().findModule(VECTOR_MODULE);
        boolean readable = module.isPresent() && KernelProvider.class.getModule().canRead(module.get());
        if (!readable) {
            return vectorUnavailable(false, false, 0);
        }
        // Only touch a class that links against the incubator module once it is known readable.
        return vectorUnavailable(true, isC2(), VectorKernels.preferredBitSize());
    }

    private static boolean isC2() {
        String vmName = System.getProperty("java.vm.name", "");
        String vmInfo = System.getProperty("java.vm.info", "");
        if (!vmName.contains("HotSpot") && !vmName.contains("OpenJDK")) {
            return false;
        }
        if (vmInfo.contains("interpreted mode")) {
            return false;
        }
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String arg : args) {
            if (arg.startsWith("-XX:TieredStopAtLevel=")) {
                try {
                    if (Integer.parseInt(arg.substring("-XX:TieredStopAtLevel=".length()).trim()) < 4) {
                        return false;
                    }
                } catch (NumberFormatException ignored) {
                    // an unparsable value is the JVM's problem; it would not have started
                }
            }
            if (arg.equals("-Xint") || arg.equals("-XX:-UseCompiler") || arg.equals("-XX:+UseJVMCICompiler")) {
                return false;
            }
        }
        return true;
    }

    private static Kernels lookup() {
        Choice choice = choose(System.getProperty(PROPERTY), VECTOR_UNAVAILABLE);
        if (choice.kind().equals("vector")) {
            LOG.info("rnn4j kernels: vector ({}-bit {} lanes, {})", VectorKernels.preferredBitSize(),
                    VectorKernels.preferredBitSize() / 32, System.getProperty("java.vm.name"));
            return VectorKernels.INSTANCE;
        }
        if (VECTOR_UNAVAILABLE == null) {
            LOG.info("rnn4j kernels: scalar ({})", choice.reason());
        } else {
            LOG.warn("rnn4j kernels: scalar, because {}; {}", choice.reason(), HOW_TO_ENABLE);
        }
        return ScalarKernels.INSTANCE;
    }
}
