package org.rnn4j.bench.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimsTest {

    static Claim find(List<Claim> claims, String start) {
        return claims.stream().filter(c -> c.statement().startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no claim starting '" + start + "' in " + claims));
    }

    @Test
    void theSyntheticRunHoldsWhatItWasBuiltToHold() {
        List<Claim> c = Synthetic.report(false).claims();
        assertEquals(Verdict.HELD, find(c, "an LSTM training step costs about 4×").verdict());
        Claim lstm = find(c, "LSTM solves adding T = 100 within the budget and the tanh RNN does not");
        assertEquals(Verdict.HELD, lstm.verdict());
        assertTrue(lstm.evidence().contains("LSTM T=100: 5/5 solved (solved at step 900; solved at step 950; solved at step 1000;"), lstm.evidence());
        assertEquals(Verdict.HELD, find(c, "clipping alone does not").verdict());
        assertEquals(Verdict.HELD, find(c, "IRNN solves adding T = 100").verdict());
        assertEquals(Verdict.HELD, find(c, "LSTM still solves the longest length, T = 200").verdict());
        assertEquals(Verdict.HELD, find(c, "without clipping, the ρ = 3 run").verdict());
        Claim clip = find(c, "clipping at 1 keeps the ρ = 3 run finite");
        assertEquals(Verdict.HELD, clip.verdict());
        assertTrue(clip.evidence().contains("non-finite at training step 5 (time step t=37)"), clip.evidence());
        assertEquals(Verdict.HELD, find(c, "the gradients a clipped step applies").verdict());
        assertEquals(Verdict.HELD, find(c, "ρ(W_hh) of the IRNN stays near 1").verdict());
        assertEquals(Verdict.HELD, find(c, "ρ(W_hh) of the tanh RNN stays below 1").verdict());
        assertEquals(Verdict.NOT_RUN, find(c, "‖∂L_T/∂h_k‖ decays").verdict());
        assertEquals("not run: E1 not wired yet", find(c, "‖∂L_T/∂h_k‖ decays").evidence());
        // When E1 ran, its claims are checked (LeadClaimsTest has the details).
        List<Claim> ran = Synthetic.report(true).claims();
        assertEquals(Verdict.HELD, find(ran, "with ρ(W_hh) < 1 (orthogonal, tanh)").verdict());
        assertTrue(ran.stream().noneMatch(x -> x.verdict() == Verdict.NOT_RUN && x.experiment().equals("E1")));
    }

    @Test
    void claimsFailWhenTheNumbersSayOtherwise() {
        // The tanh RNN solving T = 100 breaks "... and the tanh RNN does not".
        AddingResult base = Synthetic.adding();
        List<AddingRun> runs = new ArrayList<>();
        for (AddingRun r : base.runs()) {
            runs.add(r.model() == ModelKind.TANH && r.length() == 100 ? Synthetic.run(ModelKind.TANH, 100, r.seed(),
                    700, false, 0.6) : r);
        }
        List<Claim> c = new ArrayList<>();
        Claims.adding(c, new AddingResult(base.settings(), base.baselineMse(), base.stepCosts(), runs), "ok");
        assertEquals(Verdict.DID_NOT_HOLD, find(c, "LSTM solves adding T = 100").verdict());
        // An LSTM step 10× an RNN step is outside 2–6×.
        List<Claim> t = new ArrayList<>();
        Claims.throughput(t, Synthetic.throughput(10, 100), "ok");
        assertEquals(Verdict.DID_NOT_HOLD, t.getFirst().verdict());
        assertTrue(t.getFirst().evidence().endsWith("10.00×"), t.getFirst().evidence());
        // A clipped run that applied more than the threshold.
        ExplodingResult e3 = Synthetic.exploding();
        List<ExplodingRun> bad = new ArrayList<>(e3.runs());
        ExplodingRun x = bad.get(1);
        double[] applied = x.appliedNorm().clone();
        applied[3] = 1.01;
        bad.set(1, new ExplodingRun(x.radius(), x.measuredRadius(), true, x.stepsRun(), x.divergedAtStep(),
                x.nonFiniteAtStep(), x.nonFiniteTimeStep(), x.nonFiniteMessage(), x.loss(), x.gradientNorm(), applied));
        List<Claim> e = new ArrayList<>();
        Claims.exploding(e, new ExplodingResult(e3.settings(), e3.baselineMse(), bad), "ok");
        assertEquals(Verdict.DID_NOT_HOLD, find(e, "the gradients a clipped step applies").verdict());
        // Parts that did not run.
        List<Claim> none = new ArrayList<>();
        Claims.adding(none, null, "not run: failed: boom");
        assertEquals(Verdict.NOT_RUN, none.getFirst().verdict());
        assertEquals("not run: failed: boom", none.getFirst().evidence());
    }
}
