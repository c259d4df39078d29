import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.ErrorSignal;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.JacobianProfile;
import org.rnn4j.lstm.Diagnostics;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.tasks.AddingProblem;

/**
 * How much of the error signal survives 99 steps back in time: a tanh RNN against an LSTM with
 * PyTorch's forget-gate bias 0 and with bias 1, at initialisation, on adding-problem sequences.
 * Run with ./run-java examples/GradientFlow.java
 */
public class GradientFlow {
    public static void main(String[] args) {
        int steps = 100;
        SequenceBatch batch = new AddingProblem(steps).batch(4, 1);   // 4 sequences, seed 1
        for (float forgetBias : new float[] {Float.NaN, 0f, 1f}) {           // NaN: the tanh RNN
            CellKind cell = Float.isNaN(forgetBias) ? CellKind.RNN : CellKind.LSTM;
            Initializer init = Initializer.pytorchDefault().withForgetBias(Float.isNaN(forgetBias) ? 0f : forgetBias);
            ModelSpec spec = ModelSpec.builder(2, 64, 1).cell(cell).init(init).head(OutputHead.LINEAR).seed(7).build();
            RecurrentModel model = Models.create(spec);
            GradientDiagnostics d = Diagnostics.of(model, batch);     // runs forward, keeps the trajectory
            JacobianProfile jacobians = d.jacobianNorms(0, 0, steps); // layer 0, sequence 0, t = T
            ErrorSignal error = d.errorSignal(0, 0, steps);           // of the loss at the last step
            System.out.printf("%-4s forget bias %-3s lag 99: log10 ||dh_T/dh_k|| = %7.2f (trajectory bound %6.2f),"
                            + " log10 ||dL_T/dh_k|| / ||dL_T/dh_T|| = %7.2f%n",
                    cell, Float.isNaN(forgetBias) ? "-" : forgetBias, jacobians.atLag(99), jacobians.trajectoryBound()[steps - 99], error.ratioAtLag(99));
        }
    }
}
