package org.rnn4j.lstm;

import java.util.Arrays;
import java.util.List;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.Parameter;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PartTask;

/**
 * An {@link Optimizer} with its state (momentum buffers, moment estimates, step count) for one
 * list of parameters. The state arrays are allocated once, in the constructor;
 * {@link #update(List)} allocates nothing.
 *
 * <p>The rules are exactly PyTorch's (1.13, {@code foreach=False}) without weight decay,
 * dampening, centering or AMSGrad, per element with g the gradient and θ the value:
 * <ul>
 * <li>{@link Optimizer.Sgd}: θ ← θ − lr·g ({@code torch.optim.SGD(lr)}).</li>
 * <li>{@link Optimizer.Momentum} ({@code torch.optim.SGD(lr, momentum=μ, nesterov=…)}): on the
 *     first step v ← g, afterwards v ← μ·v + g; then θ ← θ − lr·v, or with Nesterov
 *     θ ← θ − lr·(g + μ·v). With μ = 0 this is plain SGD (as PyTorch, which keeps no buffer).</li>
 * <li>{@link Optimizer.RmsProp} ({@code torch.optim.RMSprop(lr, alpha=ρ, eps=ε)}):
 *     s ← ρ·s + (1 − ρ)·g² (s starts at 0); θ ← θ − lr·g / (√s + ε).</li>
 * <li>{@link Optimizer.Adam} ({@code torch.optim.Adam(lr, betas=(β1, β2), eps=ε)}): at step t
 *     (1-based), m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g² (both start at 0);
 *     θ ← θ − (lr / (1 − β1^t))·m / (√v / √(1 − β2^t) + ε).</li>
 * </ul>
 * Scalar coefficients are computed in double, every element's update in double from the float
 * state and rounded once to float when stored; PyTorch computes in float, so results agree to
 * a few ulps.
 *
 * <p>Not thread-safe.
 */
public final class OptimizerState {
    private final Optimizer optimizer;
    private final int count;
    private final int[] sizes;
    private final String[] names;
    /** Σ sizes: the values one update touches. */
    private final long totalValues;
    /** Momentum buffer (Momentum), s (RMSprop) or m (Adam), per parameter; null for SGD. */
    private final float[][] first;
    /** v (Adam), per parameter; null otherwise. */
    private final float[][] second;
    private long steps;
    /** Runs the update's element ranges on several threads (see {@link #runOn}); null: the caller's thread. */
    private Kernels threads;
    private final PartTask updateTask = this::updateRange;
    // The update in progress, for updateRange.
    private List<Parameter> current;
    private double stepSize;
    private double bc2Sqrt;
    /** The first update's momentum step (Momentum starts from the gradient). */
    private boolean firstStep;

    /**
     * State for {@code params}, all zero (step 0).
     *
     * @param optimizer the rule and its hyperparameters
     * @param params    the parameters {@link #update(List)} will be given: same count, order
     *                  and sizes
     */
    public OptimizerState(Optimizer optimizer, List<Parameter> params) {
        if (optimizer == null || params == null) {
            throw new IllegalArgumentException("optimizer and params must not be null");
        }
        this.optimizer = optimizer;
        this.count = params.size();
        this.sizes = new int[count];
        this.names = new String[count];
        long total = 0;
        for (int i = 0; i < count; i++) {
            sizes[i] = params.get(i).size();
            names[i] = params.get(i).name();
            total += sizes[i];
        }
        this.totalValues = total;
        boolean hasFirst = switch (optimizer) {
            case Optimizer.Sgd _ -> false;
            case Optimizer.Momentum m -> m.momentum() != 0;
            case Optimizer.RmsProp _ -> true;
            case Optimizer.Adam _ -> true;
        };
        this.first = hasFirst ? allocate(sizes) : null;
        this.second = optimizer instanceof Optimizer.Adam ? allocate(sizes) : null;
    }

    private static float[][] allocate(int[] sizes) {
        float[][] a = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            a[i] = new float[sizes[i]];
        }
        return a;
    }

    /** The rule and its hyperparameters. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Updates applied so far (Adam's t after the last update). */
    public long steps() {
        return steps;
    }

    /**
     * How many state buffers each parameter has: 0 for SGD (and momentum 0), 1 for momentum and
     * RMSprop, 2 for Adam.
     */
    public int slots() {
        return second != null ? 2 : first != null ? 1 : 0;
    }

    /**
     * The name of buffer {@code slot}, as PyTorch's optimizer {@code state_dict} calls it:
     * {@code momentum_buffer} (momentum), {@code square_avg} (RMSprop), {@code exp_avg} and
     * {@code exp_avg_sq} (Adam's m and v).
     */
    public String slotName(int slot) {
        checkSlot(slot);
        return switch (optimizer) {
            case Optimizer.Momentum _ -> "momentum_buffer";
            case Optimizer.RmsProp _ -> "square_avg";
            case Optimizer.Adam _ -> slot == 0 ? "exp_avg" : "exp_avg_sq";
            case Optimizer.Sgd _ -> throw new AssertionError("SGD has no state");
        };
    }

    /** A copy of buffer {@code slot} of parameter {@code param} (in the order of the constructor's list). */
    public float[] slot(int slot, int param) {
        return buffer(slot, param).clone();
    }

    private float[] buffer(int slot, int param) {
        checkSlot(slot);
        if (param < 0 || param >= count) {
            throw new IndexOutOfBoundsException("param " + param + " is outside [0, " + count + ")");
        }
        return (slot == 0 ? first : second)[param];
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= slots()) {
            throw new IndexOutOfBoundsException("slot " + slot + " is outside [0, " + slots() + ") for " + optimizer);
        }
    }

    /**
     * Replaces the whole state, e.g. from a checkpoint: the step count and every buffer.
     * Everything is checked before anything changes.
     *
     * @param steps   updates applied so far, ≥ 0
     * @param buffers {@code buffers[slot][param]}: {@link #slots()} × parameter count arrays of
     *                the parameters' sizes, all finite
     * @throws IllegalArgumentException naming the slot, parameter and index of what does not fit
     */
    public void restore(long steps, float[][][] buffers) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (buffers == null || buffers.length != slots()) {
            throw new IllegalArgumentException(optimizer + " keeps " + slots() + " buffers per parameter, got "
                    + (buffers == null ? "null" : buffers.length));
        }
        for (int s = 0; s < buffers.length; s++) {
            if (buffers[s] == null || buffers[s].length != count) {
                throw new IllegalArgumentException(slotName(s) + ": expected " + count + " parameters, got "
                        + (buffers[s] == null ? "null" : buffers[s].length));
            }
            for (int i = 0; i < count; i++) {
                float[] b = buffers[s][i];
                if (b == null || b.length != sizes[i]) {
                    throw new IllegalArgumentException(slotName(s) + " of " + names[i] + ": expected " + sizes[i]
                            + " values, got " + (b == null ? "null" : b.length));
                }
                for (int j = 0; j < b.length; j++) {
                    if (!Float.isFinite(b[j])) {
                        throw new IllegalArgumentException(slotName(s) + " of " + names[i] + " at index " + j + " is " + b[j]);
                    }
                }
            }
        }
        for (int s = 0; s < buffers.length; s++) {
            for (int i = 0; i < count; i++) {
                System.arraycopy(buffers[s][i], 0, (s == 0 ? first : second)[i], 0, sizes[i]);
            }
        }
        this.steps = steps;
    }

    /** Forgets the state: buffers and moments back to 0, step count 0. */
    public void reset() {
        steps = 0;
        clear(first);
        clear(second);
    }

    private static void clear(float[][] a) {
        if (a != null) {
            for (float[] x : a) {
                Arrays.fill(x, 0f);
            }
        }
    }

    /**
     * One update of every parameter's value from its gradient (see the class comment).
     *
     * @param params the parameters this state was created for (same count, order and sizes)
     * @throws IllegalArgumentException if they are not, before anything is changed
     */
    public void update(List<Parameter> params) {
        if (params.size() != count) {
            throw new IllegalArgumentException("optimizer state is for " + count + " parameters, got "
                    + params.size());
        }
        for (int i = 0; i < count; i++) {
            Parameter p = params.get(i);
            if (p.size() != sizes[i]) {
                throw new IllegalArgumentException("parameter " + i + " (" + p.name() + ") has " + p.size()
                        + " values, the optimizer state was created for " + names[i] + " with " + sizes[i]);
            }
        }
        long t = steps + 1;
        if (optimizer instanceof Optimizer.Adam a) {
            stepSize = a.learningRate() / (1 - Math.pow(a.beta1(), t));
            bc2Sqrt = Math.sqrt(1 - Math.pow(a.beta2(), t));
        }
        firstStep = t == 1;
        current = params;
        try {
            // Every rule is element-wise, so cutting each parameter into ranges gives the same bits.
            if (threads != null && threads.threads() > 1 && totalValues >= PARALLEL_MIN) {
                threads.runParts(threads.threads(), updateTask);
            } else {
                updateRange(0, 1);
            }
        } finally {
            current = null;
        }
        steps = t;
    }

    /**
     * When all parameters together hold fewer values than this, the update runs on one thread:
     * handing out the ranges costs a few microseconds, about as much as updating 16 Ki values.
     */
    static final int PARALLEL_MIN = 1 << 14;

    /**
     * Lets {@link #update} run on the threads of {@code kernels} (the model's): the optimizer's pass
     * over every parameter is the serial part of a training step otherwise (3 % of a 2-thread
     * RNN step at 32 × 100 × 128 × 256). Bitwise the same as one thread.
     */
    void runOn(Kernels kernels) {
        this.threads = kernels;
    }

    /** Part {@code q} of {@code parts} of every parameter's update: values [size·q/parts, size·(q+1)/parts). */
    private void updateRange(int q, int parts) {
        List<Parameter> params = current;
        for (int i = 0; i < count; i++) {
            Parameter p = params.get(i);
            int from = (int) ((long) sizes[i] * q / parts);
            int to = (int) ((long) sizes[i] * (q + 1) / parts);
            switch (optimizer) {
                case Optimizer.Sgd s -> sgd(s.learningRate(), p.value(), p.gradient(), from, to);
                case Optimizer.Momentum m -> {
                    if (first == null) {
                        sgd(m.learningRate(), p.value(), p.gradient(), from, to);
                    } else {
                        momentum(m.learningRate(), m.momentum(), m.nesterov(), firstStep, p.value(), p.gradient(),
                                first[i], from, to);
                    }
                }
                case Optimizer.RmsProp r -> rmsProp(r.learningRate(), r.decay(), r.epsilon(), p.value(), p.gradient(),
                        first[i], from, to);
                case Optimizer.Adam a -> adam(stepSize, bc2Sqrt, a.beta1(), a.beta2(), a.epsilon(), p.value(),
                        p.gradient(), first[i], second[i], from, to);
            }
        }
    }

    private static void sgd(double lr, float[] w, float[] g, int from, int to) {
        for (int j = from; j < to; j++) {
            w[j] = (float) (w[j] - lr * g[j]);
        }
    }

    private static void momentum(double lr, double mu, boolean nesterov, boolean firstStep, float[] w, float[] g,
                                 float[] buf, int from, int to) {
        for (int j = from; j < to; j++) {
            double gj = g[j];
            float b = firstStep ? g[j] : (float) (mu * buf[j] + gj);
            buf[j] = b;
            double d = nesterov ? gj + mu * b : b;
            w[j] = (float) (w[j] - lr * d);
        }
    }

    private static void rmsProp(double lr, double rho, double eps, float[] w, float[] g, float[] s, int from, int to) {
        double oneMinusRho = 1 - rho;
        for (int j = from; j < to; j++) {
            double gj = g[j];
            float sj = (float) (rho * s[j] + oneMinusRho * gj * gj);
            s[j] = sj;
            w[j] = (float) (w[j] - lr * gj / (Math.sqrt(sj) + eps));
        }
    }

    private static void adam(double stepSize, double bc2Sqrt, double beta1, double beta2, double eps, float[] w,
                             float[] g, float[] m, float[] v, int from, int to) {
        double oneMinusBeta1 = 1 - beta1;
        double oneMinusBeta2 = 1 - beta2;
        for (int j = from; j < to; j++) {
            double gj = g[j];
            float mj = (float) (beta1 * m[j] + oneMinusBeta1 * gj);
            float vj = (float) (beta2 * v[j] + oneMinusBeta2 * gj * gj);
            m[j] = mj;
            v[j] = vj;
            w[j] = (float) (w[j] - stepSize * mj / (Math.sqrt(vj) / bc2Sqrt + eps));
        }
    }
}
