package org.rnn4j.lstm;

import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.WeightFormat;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;

/** Creates recurrent models. */
public final class Models {
    private Models() {}

    /** A new model with weights drawn as {@code spec.init()} says, on the best kernels, one thread. */
    public static RecurrentModel create(ModelSpec spec) {
        return create(spec, KernelProvider.get());
    }

    /**
     * A new model on the given kernels, e.g. {@code KernelProvider.get().withThreads(2)} for a
     * two-thread GEMM; results are bitwise identical for any thread count.
     */
    public static RecurrentModel create(ModelSpec spec, Kernels kernels) {
        if (spec == null || kernels == null) {
            throw new IllegalArgumentException("spec and kernels must not be null");
        }
        RecurrentNetwork net = new RecurrentNetwork(spec, kernels);
        Initializers.initialize(spec, net.parameters());
        return net;
    }

    /**
     * Compiles a snapshot of {@code model}'s current weights for streaming inference on the best
     * kernels, weights in float (see {@link InferenceModel}); later changes to the model do not
     * reach it.
     *
     * @throws IllegalArgumentException if a weight is non-finite (naming it)
     */
    public static InferenceModel compile(RecurrentModel model) {
        return compile(model, KernelProvider.get(), WeightFormat.F32);
    }

    /** {@link #compile(RecurrentModel)} with the recurrent weights stored as {@code format}. */
    public static InferenceModel compile(RecurrentModel model, WeightFormat format) {
        return compile(model, KernelProvider.get(), format);
    }

    /** {@link #compile(RecurrentModel)} on the given kernels (e.g. {@code KernelProvider.scalar()}). */
    public static InferenceModel compile(RecurrentModel model, Kernels kernels) {
        return compile(model, kernels, WeightFormat.F32);
    }

    /** {@link #compile(RecurrentModel)} on the given kernels with weights stored as {@code format}. */
    public static InferenceModel compile(RecurrentModel model, Kernels kernels, WeightFormat format) {
        if (model == null || kernels == null || format == null) {
            throw new IllegalArgumentException("model, kernels and format must not be null");
        }
        return CompiledModel.of(model, kernels, format);
    }
}
