#!/usr/bin/python3
"""Independent numpy check of the fixtures written by ``make_fixtures.py`` (no torch needed).

Usage::

    /usr/bin/python3 rnn-lstm/src/test/python/check_fixtures.py [FIXTURE_DIR]

For every case listed in ``index.json`` it

1. checks the file's keys and tensor shapes against the documented schema (``bidirectional``
   present, and then true, only for bidirectional models, which double the state and output
   widths as documented);
2. checks that ``params`` (rnn4j layout) is the documented transform of ``torch_state_dict``
   (W_x = weight_ih^T, W_h = weight_hh^T, b = float32(bias_ih + bias_hh), W_y = head.weight^T;
   for the GRU b = [float32(bias_ih + bias_hh)[0:2n], bias_ih[2n:3n]], b_hn = bias_hh[2n:3n];
   ``layer{l}.reverse.*`` likewise from the ``*_l{l}_reverse`` entries);
3. re-runs the forward pass and the loss in float64 from ``params`` ONLY (our layout: row vectors,
   gate column blocks i, f, g, o for the LSTM and r, z, n for the GRU, whose candidate is
   n = tanh(x.W_x[:, 2n:3n] + b[2n:3n] + r * (h.W_h[:, 2n:3n] + b_hn)), tanh/relu; packed-sequence
   lengths: the forward direction of sequence b stops after step len_b - 1 and its state is
   frozen, the reverse direction runs t = len_b - 1 .. 0; layer l > 0 of a bidirectional model
   reads [h_fwd, h_bwd]) and asserts that ``outputs.logits`` and ``outputs.top_hidden`` at the
   steps t < len_b, ``outputs.h_last``, ``outputs.c_last`` and ``loss_value`` agree to 1e-5
   (absolute, or relative for magnitudes above 1); at the steps t >= len_b it asserts that the
   stored ``top_hidden`` is exactly 0 and ``logits`` exactly ``b_y`` (PyTorch's zero padding);
4. checks every entry of every stored gradient (our parameters, ``h0``/``c0``, ``d_inputs``)
   (the GRU's ``b_hn`` and the reverse direction's parameters included) against float64 central
   finite differences of that numpy loss, and that ``d_inputs`` is exactly zero at the steps
   t >= len_b.
"""

import json
import os
import sys

import numpy as np

FIXTURE_DIR = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures"))

KEYS = ["name", "cell", "nonlinearity", "layers", "input_size", "hidden_size", "output_size",
        "batch", "steps", "loss", "lengths", "params", "torch_state_dict", "inputs", "targets",
        "h0", "c0", "outputs", "loss_value", "grads"]
FWD_TOL = 1e-5
FD_EPS = 1e-6
FD_ATOL, FD_RTOL = 2e-5, 1e-4


def arr(t, dtype=np.float64):
    return np.asarray(t["data"], dtype=dtype).reshape(t["shape"])


def close(a, b, tol):
    """max |a - b| / max(1, |b|) and whether it is within tol."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    err = float(np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b)))) if a.size else 0.0
    return err, err <= tol


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lengths_of(case):
    T, m = case["steps"], case["batch"]
    return np.asarray(case["lengths"] if case["lengths"] is not None else [T] * m)


def cell_step(case, P, pre, inp, h, c):
    """One step of one layer and direction (parameter name prefix ``pre``) for all m rows."""
    n = case["hidden_size"]
    if case["cell"] == "GRU":
        ax = inp @ P[pre + "W_x"] + P[pre + "b"]                  # (m, 3n): r, z, n
        ah = h @ P[pre + "W_h"]
        r = sigmoid(ax[:, 0:n] + ah[:, 0:n])
        zg = sigmoid(ax[:, n:2 * n] + ah[:, n:2 * n])
        cand = np.tanh(ax[:, 2 * n:3 * n] + r * (ah[:, 2 * n:3 * n] + P[pre + "b_hn"]))
        return (1.0 - zg) * cand + zg * h, c
    z = inp @ P[pre + "W_x"] + h @ P[pre + "W_h"] + P[pre + "b"]
    if case["cell"] == "LSTM":
        i, f = sigmoid(z[:, 0:n]), sigmoid(z[:, n:2 * n])
        g, o = np.tanh(z[:, 2 * n:3 * n]), sigmoid(z[:, 3 * n:4 * n])
        c = f * c + i * g
        return o * np.tanh(c), c
    if case["nonlinearity"] == "relu":
        return np.maximum(z, 0.0), c
    return np.tanh(z), c


def forward(case, P, x, h0, c0):
    """float64 forward from our layout. P: name -> array. Returns logits, top, h_last, c_last.

    Packed-sequence semantics: sequence b's forward direction runs t = 0 .. len_b - 1 and its
    state is then frozen; the reverse direction (bidirectional models) runs t = len_b - 1 .. 0
    from its initial state.  Layer by layer; the input of layer l > 0 is [h_fwd, h_bwd].  Rows of
    ``top`` at t >= len_b hold the frozen forward state (and the not yet started reverse state);
    they feed nothing that is compared or reaches the loss."""
    L, n, lstm = case["layers"], case["hidden_size"], case["cell"] == "LSTM"
    D = 2 if case.get("bidirectional", False) else 1
    T, m, _ = x.shape
    live = np.arange(T)[:, None] < lengths_of(case)[None, :]       # (T, m)
    h_last, c_last = [], []
    inp = x
    for l in range(L):
        outs = []
        for direction in range(D):
            pre = f"layer{l}." + ("reverse." if direction else "")
            h, c = h0[D * l + direction].copy(), c0[D * l + direction].copy()
            out = np.zeros((T, m, n))
            for t in (range(T - 1, -1, -1) if direction else range(T)):
                hn, cn = cell_step(case, P, pre, inp[t], h, c)
                keep = live[t][:, None]
                h = np.where(keep, hn, h)
                c = np.where(keep, cn, c) if lstm else c
                out[t] = h
            outs.append(out)
            h_last.append(h)
            c_last.append(c)
        inp = np.concatenate(outs, axis=2) if D == 2 else outs[0]
    logits = inp @ P["W_y"] + P["b_y"]
    return logits, inp, np.stack(h_last), (np.stack(c_last) if lstm else None)


def loss_fn(case, logits, y):
    T, m, _ = logits.shape
    lens = case["lengths"] if case["lengths"] is not None else [T] * m
    total = 0.0
    for b in range(m):
        if case["loss"] == "ce_last":
            steps = [lens[b] - 1]
        else:
            steps = range(lens[b])
        for t in steps:
            z = logits[t, b]
            if case["loss"] == "mse_all":
                total += float(np.sum((z - y[t, b]) ** 2))
            else:
                k = int(y[b]) if case["loss"] == "ce_last" else int(y[t, b])
                zmax = z.max()
                total += float(zmax + np.log(np.sum(np.exp(z - zmax))) - z[k])
    return total / m


def check_case(case):
    """Returns a list of (check, max error) and raises AssertionError on failure."""
    name = case["name"]
    # "bidirectional" (right after "layers") is written only when true
    bidir = "bidirectional" in case
    assert list(case) == (KEYS[:4] + ["bidirectional"] + KEYS[4:] if bidir else KEYS), (name, list(case))
    assert case.get("bidirectional", True) is True, (name, "bidirectional present but not true")
    L, d, n, o = case["layers"], case["input_size"], case["hidden_size"], case["output_size"]
    m, T, lstm = case["batch"], case["steps"], case["cell"] == "LSTM"
    gru = case["cell"] == "GRU"
    G = 4 if lstm else 3 if gru else 1
    D = 2 if bidir else 1
    prefixes = [(l, f"layer{l}." + ("reverse." if direction else ""), "_reverse" if direction else "")
                for l in range(L) for direction in range(D)]
    assert case["cell"] in ("RNN", "LSTM", "GRU")
    assert (case["nonlinearity"] is None) == (lstm or gru)
    assert case["nonlinearity"] in (None, "tanh", "relu")
    assert case["loss"] in ("ce_all", "ce_last", "mse_all")
    lens = case["lengths"] if case["lengths"] is not None else [T] * m
    assert len(lens) == m and all(1 <= v <= T for v in lens)

    # -- shapes
    shapes = {}
    for l, pre, _ in prefixes:
        shapes[pre + "W_x"] = [d if l == 0 else D * n, G * n]
        shapes[pre + "W_h"] = [n, G * n]
        shapes[pre + "b"] = [G * n]
        if gru:
            shapes[pre + "b_hn"] = [n]
    shapes["W_y"], shapes["b_y"] = [D * n, o], [o]
    assert list(case["params"]) == list(shapes), (name, list(case["params"]))
    for k, s in shapes.items():
        assert case["params"][k]["shape"] == s, (name, k)
        assert len(case["params"][k]["data"]) == int(np.prod(s)), (name, k)
    assert case["inputs"]["shape"] == [T, m, d]
    tshape = {"ce_all": [T, m], "ce_last": [m], "mse_all": [T, m, o]}[case["loss"]]
    assert case["targets"]["shape"] == tshape
    if case["loss"] != "mse_all":
        assert all(isinstance(v, int) and 0 <= v < o for v in case["targets"]["data"])
    for s in ("h0", "c0"):
        if case[s] is not None:
            assert case[s]["shape"] == [D * L, m, n]
    assert case["c0"] is None or lstm
    assert (case["c0"] is None) == (case["h0"] is None) or not lstm
    out = case["outputs"]
    assert list(out) == ["logits", "top_hidden", "h_last", "c_last"]
    assert out["logits"]["shape"] == [T, m, o] and out["top_hidden"]["shape"] == [T, m, D * n]
    assert out["h_last"]["shape"] == [D * L, m, n]
    assert (out["c_last"] is None) != lstm and (out["c_last"] is None or out["c_last"]["shape"] == [D * L, m, n])
    gnames = list(shapes) + [s for s in ("h0", "c0") if case[s] is not None] + ["d_inputs"]
    assert list(case["grads"]) == gnames, (name, list(case["grads"]))
    for k in shapes:
        assert case["grads"][k]["shape"] == shapes[k]
    assert case["grads"]["d_inputs"]["shape"] == [T, m, d]

    # -- params vs. torch_state_dict (exact, float32)
    sd = {k: arr(v, np.float32) for k, v in case["torch_state_dict"].items()}
    expect = []
    for l, _, sfx in prefixes:
        expect += [f"rnn.{w}_l{l}{sfx}" for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    assert list(sd) == expect + ["head.weight", "head.bias"], (name, list(sd))
    P32 = {k: arr(v, np.float32) for k, v in case["params"].items()}
    for l, pre, sfx in prefixes:
        assert np.array_equal(P32[pre + "W_x"], sd[f"rnn.weight_ih_l{l}{sfx}"].T)
        assert np.array_equal(P32[pre + "W_h"], sd[f"rnn.weight_hh_l{l}{sfx}"].T)
        b_ih, b_hh = sd[f"rnn.bias_ih_l{l}{sfx}"], sd[f"rnn.bias_hh_l{l}{sfx}"]
        if gru:
            assert np.array_equal(P32[pre + "b"][:2 * n], b_ih[:2 * n] + b_hh[:2 * n])
            assert np.array_equal(P32[pre + "b"][2 * n:], b_ih[2 * n:])
            assert np.array_equal(P32[pre + "b_hn"], b_hh[2 * n:])
        else:
            assert np.array_equal(P32[pre + "b"], b_ih + b_hh)
    assert np.array_equal(P32["W_y"], sd["head.weight"].T) and np.array_equal(P32["b_y"], sd["head.bias"])

    # -- forward + loss in float64 from our layout
    P = {k: arr(v) for k, v in case["params"].items()}
    x = arr(case["inputs"])
    y = arr(case["targets"], np.int64 if case["loss"] != "mse_all" else np.float64)
    h0 = arr(case["h0"]) if case["h0"] is not None else np.zeros((D * L, m, n))
    c0 = arr(case["c0"]) if case["c0"] is not None else np.zeros((D * L, m, n))
    logits, top, h_last, c_last = forward(case, P, x, h0, c0)
    loss = loss_fn(case, logits, y)
    report = []
    # logits and top_hidden only where t < len_b: beyond, the fixture holds PyTorch's zero padding
    # (top_hidden exactly 0, logits exactly b_y), checked here, and rnn4j the frozen state
    live = np.arange(T)[:, None] < np.asarray(lens)[None, :]          # (T, m)
    for key, mine in (("logits", logits), ("top_hidden", top), ("h_last", h_last), ("c_last", c_last)):
        if mine is None:
            continue
        ref = arr(out[key])
        if key in ("logits", "top_hidden"):
            mine, ref = mine[live], ref[live]
        err, ok = close(mine, ref, FWD_TOL)
        assert ok, (name, key, err)
        report.append((key, err))
    pad = ~live
    assert np.all(arr(out["top_hidden"], np.float32)[pad] == 0.0), (name, "top_hidden at t >= len_b")
    assert np.all(arr(out["logits"], np.float32)[pad] == P32["b_y"]), (name, "logits at t >= len_b")
    err, ok = close(loss, case["loss_value"], FWD_TOL)
    assert ok, (name, "loss_value", loss, case["loss_value"])
    report.append(("loss_value", err))

    # -- every gradient entry vs. float64 central differences of the numpy loss
    def f(P_, x_, h0_, c0_):
        return loss_fn(case, forward(case, P_, x_, h0_, c0_)[0], y)

    worst = 0.0
    for gname in gnames:
        g = arr(case["grads"][gname])
        if gname == "d_inputs":
            target = x
        elif gname == "h0":
            target = h0
        elif gname == "c0":
            target = c0
        else:
            target = P[gname]
        flat = target.reshape(-1)          # a view: perturbing it perturbs the model input
        fd = np.empty(flat.size)
        for i in range(flat.size):
            v = flat[i]
            flat[i] = v + FD_EPS
            up = f(P, x, h0, c0)
            flat[i] = v - FD_EPS
            down = f(P, x, h0, c0)
            flat[i] = v
            fd[i] = (up - down) / (2 * FD_EPS)
        fd = fd.reshape(g.shape)
        bad = np.abs(fd - g) > FD_ATOL + FD_RTOL * np.abs(fd)
        assert not bad.any(), (name, gname, np.argwhere(bad)[:5].tolist(),
                               float(np.max(np.abs(fd - g))))
        worst = max(worst, float(np.max(np.abs(fd - g) / np.maximum(1.0, np.abs(fd)))))
    report.append(("grads_vs_fd", worst))

    # -- masked steps get exactly zero input gradient
    dx = arr(case["grads"]["d_inputs"])
    for b in range(m):
        assert np.all(dx[lens[b]:, b] == 0.0), (name, "d_inputs nonzero at masked step", b)
    return report


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    fixture_dir = argv[0] if argv else FIXTURE_DIR
    with open(os.path.join(fixture_dir, "index.json"), encoding="utf-8") as fh:
        names = json.load(fh)
    failures = 0
    for fname in names:
        with open(os.path.join(fixture_dir, fname), encoding="utf-8") as fh:
            case = json.load(fh)
        try:
            rep = check_case(case)
            print(f"OK   {fname}: " + ", ".join(f"{k} {v:.2e}" for k, v in rep))
        except AssertionError as e:
            failures += 1
            print(f"FAIL {fname}: {e}")
    print(f"numpy check: {len(names) - failures}/{len(names)} cases passed "
          f"(forward/loss tol {FWD_TOL}, grads vs FD atol {FD_ATOL} rtol {FD_RTOL})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
