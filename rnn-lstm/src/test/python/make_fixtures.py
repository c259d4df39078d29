#!/usr/bin/python3
"""Generate PyTorch reference fixtures for rnn4j's RNN/LSTM/GRU forward pass, losses and BPTT gradients.

Run with the system interpreter (Debian package ``python3-torch``, PyTorch 1.13, plus numpy)::

    /usr/bin/python3 rnn-lstm/src/test/python/make_fixtures.py

It writes one JSON file per case, plus ``index.json`` (the list of case file names), into
``rnn-lstm/src/test/resources/fixtures/`` (resolved relative to this file, so any cwd works), then
runs the independent numpy checker ``check_fixtures.py`` over what it wrote (``--skip-check`` to
skip).  Everything is float32 on the CPU with ``torch.set_num_threads(1)`` and a fixed
``torch.manual_seed`` per case, so running it twice produces byte-identical files.

Model and rnn4j conventions
===========================

Data is time-major.  Inputs ``x`` have shape (T, m, d): T steps, m sequences in the batch, d inputs
per step -- PyTorch's ``batch_first=False`` layout.  Every tensor in the files is stored flattened
row-major (C order) together with its shape, so ``x[t][b][k]`` is ``data[(t*m + b)*d + k]``.

The model is a recurrent stack followed by a linear output head on the TOP layer's hidden states:

* ``torch.nn.RNN(d, n, num_layers=L, nonlinearity='tanh'|'relu')``,
  ``torch.nn.LSTM(d, n, num_layers=L)`` or ``torch.nn.GRU(d, n, num_layers=L)``, all with bias,
  no dropout, ``batch_first=False``, unidirectional or (the ``bi*`` cases, see "Bidirectional
  models" below) ``bidirectional=True``;
* ``torch.nn.Linear(D*n, o)`` applied at every step: ``o_t = h_t . W_y + b_y``, where D = 1
  (unidirectional) or 2 (bidirectional; h_t is then [h_fwd_t, h_bwd_t]).

The initial state ``h0`` (and ``c0`` for the LSTM; the GRU has no cell state), shape (D*L, m, n), is
either zero (stored as null, not passed to PyTorch) or given (random N(0,1); gradients are then
reported for it).

With row vectors, per layer l and step t (``h_t^{-1}`` = ``x_t``, the input of layer 0)::

    z = h_t^{l-1} . W_x[l] + h_{t-1}^l . W_h[l] + b[l]    shape (G*n), G = 1 (RNN) / 4 (LSTM) / 3 (GRU)
    RNN :  h_t^l = act(z)                                         act = tanh or relu
    LSTM:  i = sigmoid(z[0n:1n]), f = sigmoid(z[1n:2n]), g = tanh(z[2n:3n]), o = sigmoid(z[3n:4n])
           c_t^l = f * c_{t-1}^l + i * g ;   h_t^l = o * tanh(c_t^l)

The GRU (PyTorch's form, gate order r, z, n; x = h_t^{l-1}, h = h_{t-1}^l, G = 3) does not use the
n block of z as a whole: the hidden-side part of the candidate sits inside the reset gate::

    a_r = x . W_x[:, 0:n]   + h . W_h[:, 0:n]   + b[0:n]
    a_z = x . W_x[:, n:2n]  + h . W_h[:, n:2n]  + b[n:2n]
    a_n = x . W_x[:, 2n:3n] + b[2n:3n] + r * (h . W_h[:, 2n:3n] + b_hn)
    r = sigmoid(a_r), z = sigmoid(a_z), n = tanh(a_n) ;   h_t^l = (1 - z) * n + z * h

Parameter mapping (our name: shape  <-  PyTorch state_dict entry), for layer l (0-based)::

    layer{l}.W_x : (d_l, G*n)  <-  rnn.weight_ih_l{l}  transposed   (d_0 = d, d_l = D*n for l > 0)
    layer{l}.W_h : (n,   G*n)  <-  rnn.weight_hh_l{l}  transposed
    layer{l}.b   : (G*n,)      <-  rnn.bias_ih_l{l} + rnn.bias_hh_l{l}   (float32 sum; RNN, LSTM)
    layer{l}.b   : (3n,)       <-  [bias_ih_l{l}[0:2n] + bias_hh_l{l}[0:2n], bias_ih_l{l}[2n:3n]]  (GRU)
    layer{l}.b_hn: (n,)        <-  rnn.bias_hh_l{l}[2n:3n]                 (GRU only)
    W_y          : (D*n, o)    <-  head.weight  transposed
    b_y          : (o,)        <-  head.bias

For the GRU the r and z biases are summed in float32 as for the other cells; the n part of
``layer{l}.b`` is ``b_in`` alone, and ``b_hn`` stays a separate parameter (it cannot be merged, since
it is multiplied by r).  The layer's parameters are listed in the order W_x, W_h, b, b_hn.

LSTM gate order is PyTorch's i, f, g, o, which is also ours: column block ``q*n .. (q+1)*n`` of
``W_x``, ``W_h`` and ``b`` belongs to gate q (0 = input, 1 = forget, 2 = cell candidate, 3 = output).
The gradient of ``layer{l}.b`` is stored as the gradient of ``bias_ih_l{l}``.  Mathematically it
equals the gradient of ``bias_hh_l{l}``; PyTorch's CPU kernel reduces the two in a different order
(input projections are precomputed for all steps at once), so they can differ in the last float32
bits -- the generator asserts they agree to 1e-5.  The PyTorch tensors themselves are stored
unchanged under ``torch_state_dict`` (names ``rnn.weight_ih_l0``, ..., ``head.weight``,
``head.bias``) so that a state-dict importer can be tested against ``params``.

For the GRU, ``grads["layer{l}.b"]`` is the gradient of ``bias_ih_l{l}`` (all 3n entries); for the
r and z parts it mathematically equals that of ``bias_hh_l{l}[0:2n]`` (asserted to 1e-5 on [0:2n]
only: for the n part the two differ, the hidden-side one being multiplied by r), and
``grads["layer{l}.b_hn"]`` is ``bias_hh_l{l}.grad[2n:3n]``.

Bidirectional models
====================

A case with ``"bidirectional": true`` is PyTorch's ``bidirectional=True`` module (D = 2).  Every
layer l has a forward direction, which runs t = 0, 1, ... as above, and a reverse direction, which
runs t = T-1, ..., 0 (with ``lengths``: t = len_b - 1, ..., 0 for sequence b, see "Masking
semantics") with its own parameters and its own initial state; both read the same layer input::

    h_fwd_t^l = cell(in_t^l, h_fwd_{t-1}^l ; layer{l}.*)            h_fwd_{-1}^l = h0[2l]
    h_bwd_t^l = cell(in_t^l, h_bwd_{t+1}^l ; layer{l}.reverse.*)    h_bwd_{T}^l  = h0[2l+1]
    in_t^0 = x_t ;   in_t^l = [h_fwd_t^{l-1}, h_bwd_t^{l-1}]  (2n wide, forward half first), l > 0
    o_t = [h_fwd_t^{L-1}, h_bwd_t^{L-1}] . W_y + b_y                 W_y: (2n, o)

(the same for c with ``c0``).  The reverse direction's parameters are named
``layer{l}.reverse.W_x``, ``layer{l}.reverse.W_h``, ``layer{l}.reverse.b`` (and
``layer{l}.reverse.b_hn`` for the GRU) and are mapped from ``rnn.weight_ih_l{l}_reverse``,
``rnn.weight_hh_l{l}_reverse``, ``rnn.bias_ih_l{l}_reverse``, ``rnn.bias_hh_l{l}_reverse`` exactly
like the forward ones (transposes, float32 bias sums, the GRU's b_hn split, gradient of ``b`` =
gradient of ``bias_ih``).  ``layer{l}.W_x`` and ``layer{l}.reverse.W_x`` are (d, G*n) for l = 0 and
(2n, G*n) for l > 0; rows 0..n-1 multiply h_fwd, rows n..2n-1 h_bwd.  In ``params`` and ``grads``
the names come in the order: per layer l, the forward direction's W_x, W_h, b, [b_hn], then the
reverse direction's, and after the last layer W_y, b_y (``torch_state_dict`` keeps PyTorch's own
order, which is the same).

State tensors use PyTorch's h_n order, index 2*l + direction (direction 0 = forward,
1 = reverse): ``h0``, ``c0``, their gradients ``grads.h0`` / ``grads.c0``, and ``outputs.h_last`` /
``outputs.c_last`` are (2L, m, n).  ``outputs.h_last[2l]`` is the forward direction's final state
(after step T-1, or len_b - 1), ``outputs.h_last[2l+1]`` the reverse direction's (after step 0).
``outputs.top_hidden`` is (T, m, 2n): [h_fwd_t, h_bwd_t] of the top layer.

Losses (always normalised by the batch size m only; summed over time steps)
===========================================================================

``lengths`` is a list of per-sequence lengths ``len_b`` (1 <= len_b <= T) or null (= all T).

* ``ce_all``:  L = (1/m) sum_b sum_{t < len_b} -log softmax(o_{t,b})[y_{t,b}];  targets int (T, m).
* ``ce_last``: L = (1/m) sum_b -log softmax(o_{len_b - 1, b})[y_b];             targets int (m,).
* ``mse_all``: L = (1/m) sum_b sum_{t < len_b} sum_j (o_{t,b,j} - y_{t,b,j})^2 (no 1/2, linear
  head);  targets float (T, m, o).

Masking semantics (PyTorch's packed sequences): a case with ``lengths`` is run through
``torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)`` and the output padded
back with ``pad_packed_sequence(..., total_length=T)``.  Sequence b's recurrence STOPS at its
length: in every layer its state is frozen after step len_b - 1 (h_t = h_{len_b - 1} and
c_t = c_{len_b - 1} for t >= len_b), and inputs at steps t >= len_b are never read.  The reverse
direction of a bidirectional model starts at sequence b's own last step len_b - 1 (from its initial
state) and runs down to step 0.  Consequently:

* ``outputs.h_last`` / ``outputs.c_last`` are the packed run's h_n / c_n: for every layer the state
  at step len_b - 1 of sequence b (for the reverse direction, its state after step 0);
* ``outputs.top_hidden`` is the padded output: the top layer's state at t < len_b and exactly 0.0
  at t >= len_b; ``outputs.logits`` is the head applied to it, so exactly ``b_y`` at t >= len_b.
  Consumers must compare ``logits`` and ``top_hidden`` only at the steps t < len_b: rnn4j's values
  beyond are not the padding (they are the frozen state and the head applied to it) and are NOT
  compared.  There is no extra field saying so -- it holds for every case whose ``lengths`` is not
  null;
* steps t >= len_b contribute nothing to the loss; targets there are still random values and must
  be ignored;
* ``grads.d_inputs`` is exactly 0 at every step t >= len_b of sequence b (for all three losses).

For unidirectional models the loss and every gradient (``h0``/``c0`` included) are mathematically
those of running all T steps unmasked, since nothing after step len_b - 1 reaches the loss; only
``h_last``/``c_last`` and the padded ``logits``/``top_hidden`` differ.  The generator asserts
(1e-5 of max(1, largest magnitude)) that the packed run's loss and gradients equal those of that
unpacked run (for a case with a zero initial state, also with a given one drawn from a private
generator, to cover the h0/c0 gradients; nothing of it is written), and, for every case with
lengths (bidirectional ones too), that its loss, gradients, h_n/c_n and top_hidden at t < len_b
equal those of m separate unpacked runs of one sequence each, truncated to its length; it prints
the largest differences.

JSON schema of a case file (keys in this order)
===============================================

``name``, ``cell`` ("RNN"|"LSTM"|"GRU"), ``nonlinearity`` ("tanh"|"relu"|null for LSTM and GRU),
``layers`` L, ``bidirectional`` (``true``; the key is present ONLY for bidirectional models and
absent -- meaning false -- otherwise),
``input_size`` d, ``hidden_size`` n, ``output_size`` o, ``batch`` m, ``steps`` T, ``loss``,
``lengths``, ``params`` (our names -> tensor), ``torch_state_dict`` (PyTorch names -> tensor),
``inputs`` (T, m, d), ``targets``, ``h0`` (tensor (D*L, m, n) or null), ``c0`` (tensor (D*L, m, n)
or null; always null for RNN and GRU), ``outputs`` {``logits`` (T, m, o), ``top_hidden``
(T, m, D*n), ``h_last`` (D*L, m, n), ``c_last`` (D*L, m, n), null for RNN and GRU},
``loss_value`` (float), ``grads`` {our parameter names, ``h0``/``c0`` when given, ``d_inputs`` =
dL/dx (T, m, d)}.  A tensor is ``{"shape": [...], "data": [flat row-major values]}``.

Floats are written by Python's ``json`` module, i.e. ``repr(float(v))`` of the float32 value ``v``
(obtained through ``tensor.tolist()``): the shortest decimal that round-trips the float64 widening,
so ``Double.parseDouble`` yields exactly the float32 value and ``Float.parseFloat`` yields it too.

Random draws, per case after ``torch.manual_seed(seed)``: the recurrent module (PyTorch default
init, U(-1/sqrt(n), 1/sqrt(n))), the head (default ``Linear(D*n, o)`` init), inputs ~ N(0, 1),
targets (uniform classes or N(0, 1)), then h0 and c0 (LSTM only), (D*L, m, n), ~ N(0, 1) when
given.
"""

import argparse
import json
import os
import sys

import torch

FIXTURE_DIR = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures"))

# name, seed, cell, nonlinearity, layers, d, n, o, m, T, loss, lengths, given initial state,
# bidirectional (absent = False)
CASES = [
    dict(name="rnn_tanh_1layer", seed=1001, cell="RNN", nonlinearity="tanh", layers=1,
         d=3, n=5, o=4, m=2, T=7, loss="ce_all", lengths=None, given_state=False),
    dict(name="rnn_relu_1layer", seed=1002, cell="RNN", nonlinearity="relu", layers=1,
         d=4, n=7, o=3, m=3, T=5, loss="ce_all", lengths=None, given_state=False),
    dict(name="rnn_tanh_2layer_h0", seed=1003, cell="RNN", nonlinearity="tanh", layers=2,
         d=5, n=6, o=3, m=3, T=6, loss="ce_last", lengths=None, given_state=True),
    dict(name="rnn_tanh_mse_lengths", seed=1004, cell="RNN", nonlinearity="tanh", layers=1,
         d=2, n=9, o=2, m=4, T=8, loss="mse_all", lengths=[8, 3, 5, 1], given_state=False),
    dict(name="lstm_1layer", seed=2001, cell="LSTM", nonlinearity=None, layers=1,
         d=3, n=5, o=4, m=2, T=7, loss="ce_all", lengths=None, given_state=False),
    dict(name="lstm_2layer_state", seed=2002, cell="LSTM", nonlinearity=None, layers=2,
         d=4, n=7, o=5, m=3, T=6, loss="ce_all", lengths=None, given_state=True),
    dict(name="lstm_3layer_last", seed=2003, cell="LSTM", nonlinearity=None, layers=3,
         d=3, n=4, o=3, m=2, T=9, loss="ce_last", lengths=[9, 4], given_state=False),
    dict(name="lstm_mse_lengths", seed=2004, cell="LSTM", nonlinearity=None, layers=1,
         d=6, n=13, o=2, m=5, T=11, loss="mse_all", lengths=[11, 1, 6, 9, 2], given_state=False),
    dict(name="lstm_wide", seed=2005, cell="LSTM", nonlinearity=None, layers=1,
         d=31, n=33, o=7, m=3, T=4, loss="ce_all", lengths=None, given_state=False),
    dict(name="gru_1layer", seed=3001, cell="GRU", nonlinearity=None, layers=1,
         d=3, n=5, o=4, m=2, T=7, loss="ce_all", lengths=None, given_state=False),
    dict(name="gru_2layer_h0", seed=3002, cell="GRU", nonlinearity=None, layers=2,
         d=4, n=7, o=5, m=3, T=6, loss="ce_all", lengths=None, given_state=True),
    dict(name="gru_3layer_last", seed=3003, cell="GRU", nonlinearity=None, layers=3,
         d=3, n=4, o=3, m=2, T=9, loss="ce_last", lengths=[9, 4], given_state=False),
    dict(name="gru_mse_lengths", seed=3004, cell="GRU", nonlinearity=None, layers=1,
         d=6, n=13, o=2, m=5, T=11, loss="mse_all", lengths=[11, 1, 6, 9, 2], given_state=False),
    dict(name="gru_wide", seed=3005, cell="GRU", nonlinearity=None, layers=1,
         d=31, n=33, o=7, m=3, T=4, loss="ce_all", lengths=None, given_state=False),
    dict(name="birnn_tanh_1layer", seed=4001, cell="RNN", nonlinearity="tanh", layers=1,
         d=3, n=5, o=4, m=2, T=7, loss="ce_all", lengths=None, given_state=False,
         bidirectional=True),
    dict(name="bilstm_2layer_h0", seed=4002, cell="LSTM", nonlinearity=None, layers=2,
         d=4, n=7, o=5, m=3, T=6, loss="ce_all", lengths=None, given_state=True,
         bidirectional=True),
    dict(name="bigru_2layer_lengths", seed=4003, cell="GRU", nonlinearity=None, layers=2,
         d=3, n=6, o=3, m=4, T=8, loss="mse_all", lengths=[8, 3, 5, 1], given_state=False,
         bidirectional=True),
    dict(name="bilstm_1layer_last_lengths", seed=4004, cell="LSTM", nonlinearity=None, layers=1,
         d=5, n=13, o=3, m=3, T=9, loss="ce_last", lengths=[9, 4, 6], given_state=False,
         bidirectional=True),
]


# (case, layer, max |bias_ih.grad - bias_hh.grad|) over the entries where they must agree
BIAS_GRAD_DIFF = []
CELL_OF = []
# (case, reference, max |loss diff|, max |grad diff|, max |output diff|[, max |h0/c0 grad diff|]):
# the packed run of a case with lengths against the old unpacked run ("unpacked", unidirectional
# only; also with a given initial state when the case has none) and against one unpacked run per
# sequence truncated to its length ("per-sequence")
PACKED_DIFF = []


def tensor_json(t):
    """``{"shape", "data"}`` of a tensor, flattened row-major; float32 values via ``tolist()``."""
    t = t.detach().contiguous()
    if t.is_floating_point():
        assert t.dtype == torch.float32, t.dtype
        assert bool(torch.isfinite(t).all()), "non-finite value"
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


def step_mask(lengths, T, m):
    """(T, m) float32 mask: 1 where t < len_b."""
    lens = torch.tensor(lengths if lengths is not None else [T] * m)
    return (torch.arange(T).unsqueeze(1) < lens.unsqueeze(0)).to(torch.float32)


def compute_loss(kind, logits, targets, lengths):
    T, m, o = logits.shape
    if kind == "ce_all":
        nll = -torch.log_softmax(logits, dim=2).gather(2, targets.unsqueeze(2)).squeeze(2)
        return (nll * step_mask(lengths, T, m)).sum() / m
    if kind == "ce_last":
        last = torch.tensor([l - 1 for l in lengths] if lengths is not None else [T - 1] * m)
        picked = logits[last, torch.arange(m)]                       # (m, o)
        nll = -torch.log_softmax(picked, dim=1).gather(1, targets.unsqueeze(1)).squeeze(1)
        return nll.sum() / m
    if kind == "mse_all":
        sq = ((logits - targets) ** 2).sum(dim=2)                    # (T, m)
        return (sq * step_mask(lengths, T, m)).sum() / m
    raise ValueError(kind)


def run_model(rnn, head, x, h0, c0, lstm, lengths=None):
    """Forward pass; with ``lengths``, PyTorch's packed-sequence run, padded back to T steps (zero
    outputs at t >= len_b).  Returns (logits, top, h_n, c_n or None)."""
    hx = None if h0 is None else ((h0, c0) if lstm else h0)
    if lengths is None:
        top, hn = rnn(x, hx)
    else:
        packed = torch.nn.utils.rnn.pack_padded_sequence(
            x, torch.tensor(lengths, dtype=torch.int64), enforce_sorted=False)
        out, hn = rnn(packed, hx)
        top, out_lens = torch.nn.utils.rnn.pad_packed_sequence(out, total_length=x.shape[0])
        assert out_lens.tolist() == list(lengths)
    h_n, c_n = hn if lstm else (hn, None)
    return head(top), top, h_n, c_n


def max_diff(a, b):
    """max |a - b| and the bound 1e-5 * max(1, max |b|) it must stay within."""
    a, b = a.detach(), b.detach()
    return (a - b).abs().max().item(), 1e-5 * max(1.0, b.abs().max().item())


def check_packed(c, rnn, head, x, targets, h0, c0, lstm, loss, top, h_last, c_last, leaves):
    """Asserts that the packed run (``loss``, ``top``, ``h_last``/``c_last`` and the ``.grad`` of
    ``leaves``) is what its semantics say, against (1) the old unpacked run -- same loss and
    gradients, unidirectional models only -- and (2) one unpacked run per sequence b over its first
    len_b steps -- same loss, gradients, top_hidden at t < len_b and h_n/c_n."""
    m, lengths = c["m"], c["lengths"]
    grads = [p.grad for p in leaves]
    if not c.get("bidirectional", False):
        logits_u, _, _, _ = run_model(rnn, head, x, h0, c0, lstm)
        loss_u = compute_loss(c["loss"], logits_u, targets, lengths)
        g_u = torch.autograd.grad(loss_u, leaves)
        dl, bl = max_diff(loss, loss_u)
        assert dl <= bl, (c["name"], "packed vs unpacked loss", dl)
        dg = 0.0
        for g, gu in zip(grads, g_u):
            e, bound = max_diff(g, gu)
            assert e <= bound, (c["name"], "packed vs unpacked grad", e)
            dg = max(dg, e)
        PACKED_DIFF.append((c["name"], "unpacked", dl, dg, None))
        if h0 is None:
            # the case has a zero initial state; check the h0/c0 gradients with a given one too,
            # drawn from a private generator (the global RNG stream, hence the file, is untouched)
            gen = torch.Generator().manual_seed(c["seed"])
            L, n = c["layers"], c["n"]
            hs = torch.randn(L, m, n, generator=gen).requires_grad_()
            cs = torch.randn(L, m, n, generator=gen).requires_grad_() if lstm else None
            lv = leaves + [s for s in (hs, cs) if s is not None]
            g_p = torch.autograd.grad(compute_loss(c["loss"], run_model(
                rnn, head, x, hs, cs, lstm, lengths)[0], targets, lengths), lv)
            g_u = torch.autograd.grad(compute_loss(c["loss"], run_model(
                rnn, head, x, hs, cs, lstm)[0], targets, lengths), lv)
            dg, ds = 0.0, 0.0
            for i, (gp, gu) in enumerate(zip(g_p, g_u)):
                e, bound = max_diff(gp, gu)
                assert e <= bound, (c["name"], "packed vs unpacked grad, given state", e)
                if i >= len(leaves):
                    ds = max(ds, e)
                dg = max(dg, e)
            PACKED_DIFF.append((c["name"], "unpacked (given h0/c0)", None, dg, None, ds))

    total, dout = 0.0, 0.0
    for b in range(m):
        lb = lengths[b]
        tb = targets[b:b + 1] if c["loss"] == "ce_last" else targets[:lb, b:b + 1]
        hb = None if h0 is None else h0[:, b:b + 1].contiguous()
        cb = None if c0 is None else c0[:, b:b + 1].contiguous()
        logits_b, top_b, hn_b, cn_b = run_model(rnn, head, x[:lb, b:b + 1].contiguous(), hb, cb, lstm)
        total = total + compute_loss(c["loss"], logits_b, tb, None)
        for mine, ref in ((top[:lb, b:b + 1], top_b), (h_last[:, b:b + 1], hn_b),
                          (None if c_last is None else c_last[:, b:b + 1], cn_b)):
            if ref is not None:
                e, bound = max_diff(mine, ref)
                assert e <= bound, (c["name"], "packed vs per-sequence output", b, e)
                dout = max(dout, e)
    total = total / m
    g_s = torch.autograd.grad(total, leaves)
    dl, bl = max_diff(loss, total)
    assert dl <= bl, (c["name"], "packed vs per-sequence loss", dl)
    dg = 0.0
    for g, gs in zip(grads, g_s):
        e, bound = max_diff(g, gs)
        assert e <= bound, (c["name"], "packed vs per-sequence grad", e)
        dg = max(dg, e)
    PACKED_DIFF.append((c["name"], "per-sequence", dl, dg, dout))
    # inputs beyond a sequence's length are never read
    for b in range(m):
        assert bool((x.grad[lengths[b]:, b] == 0).all()), (c["name"], "d_inputs at t >= len_b", b)
    # the padded output is zero there
    for b in range(m):
        assert bool((top[lengths[b]:, b] == 0).all()), (c["name"], "top_hidden at t >= len_b", b)


def make_case(c):
    torch.manual_seed(c["seed"])
    L, d, n, o, m, T = c["layers"], c["d"], c["n"], c["o"], c["m"], c["T"]
    lstm = c["cell"] == "LSTM"
    gru = c["cell"] == "GRU"
    bidir = c.get("bidirectional", False)
    D = 2 if bidir else 1
    if c["lengths"] is not None:
        assert len(c["lengths"]) == m and all(1 <= l <= T for l in c["lengths"])

    if lstm:
        rnn = torch.nn.LSTM(d, n, num_layers=L, bias=True, bidirectional=bidir)
    elif gru:
        rnn = torch.nn.GRU(d, n, num_layers=L, bias=True, bidirectional=bidir)
    else:
        rnn = torch.nn.RNN(d, n, num_layers=L, nonlinearity=c["nonlinearity"], bias=True,
                           bidirectional=bidir)
    head = torch.nn.Linear(D * n, o)

    x = torch.randn(T, m, d, requires_grad=True)
    if c["loss"] == "ce_all":
        targets = torch.randint(0, o, (T, m))
    elif c["loss"] == "ce_last":
        targets = torch.randint(0, o, (m,))
    else:
        targets = torch.randn(T, m, o)
    h0 = c0 = None
    if c["given_state"]:
        h0 = torch.randn(D * L, m, n, requires_grad=True)
        if lstm:
            c0 = torch.randn(D * L, m, n, requires_grad=True)

    logits, top, h_last, c_last = run_model(rnn, head, x, h0, c0, lstm, c["lengths"])
    loss = compute_loss(c["loss"], logits, targets, c["lengths"])
    loss.backward()
    if c["lengths"] is not None:
        leaves = list(rnn.parameters()) + list(head.parameters()) + [x] + \
            [s for s in (h0, c0) if s is not None]
        check_packed(c, rnn, head, x, targets, h0, c0, lstm, loss, top, h_last, c_last, leaves)

    G = 4 if lstm else 3 if gru else 1
    params, grads, state = {}, {}, {}
    for l in range(L):
        d_l = d if l == 0 else D * n
        for sfx, ours in (("", f"layer{l}."), ("_reverse", f"layer{l}.reverse."))[:D]:
            w_ih, w_hh = getattr(rnn, f"weight_ih_l{l}{sfx}"), getattr(rnn, f"weight_hh_l{l}{sfx}")
            b_ih, b_hh = getattr(rnn, f"bias_ih_l{l}{sfx}"), getattr(rnn, f"bias_hh_l{l}{sfx}")
            assert w_ih.shape == (G * n, d_l) and w_hh.shape == (G * n, n)
            params[ours + "W_x"] = tensor_json(w_ih.t())
            params[ours + "W_h"] = tensor_json(w_hh.t())
            if gru:
                # r and z biases summed (float32); the n part is b_in alone, b_hn stays separate
                params[ours + "b"] = tensor_json(torch.cat([b_ih[:2 * n] + b_hh[:2 * n], b_ih[2 * n:]]))
                params[ours + "b_hn"] = tensor_json(b_hh[2 * n:])
            else:
                params[ours + "b"] = tensor_json(b_ih + b_hh)
            grads[ours + "W_x"] = tensor_json(w_ih.grad.t())
            grads[ours + "W_h"] = tensor_json(w_hh.grad.t())
            grads[ours + "b"] = tensor_json(b_ih.grad)
            if gru:
                grads[ours + "b_hn"] = tensor_json(b_hh.grad[2 * n:])
            k = 2 * n if gru else G * n        # where d/d bias_ih == d/d bias_hh
            diff = (b_ih.grad[:k] - b_hh.grad[:k]).abs().max().item()
            assert diff <= 1e-5 * max(1.0, b_ih.grad[:k].abs().max().item()), (c["name"], l, sfx, diff)
            BIAS_GRAD_DIFF.append((c["name"], f"{l}{sfx}", diff))
            CELL_OF.append(c["cell"])
    params["W_y"] = tensor_json(head.weight.t())
    params["b_y"] = tensor_json(head.bias)
    grads["W_y"] = tensor_json(head.weight.grad.t())
    grads["b_y"] = tensor_json(head.bias.grad)
    if h0 is not None:
        grads["h0"] = tensor_json(h0.grad)
    if c0 is not None:
        grads["c0"] = tensor_json(c0.grad)
    grads["d_inputs"] = tensor_json(x.grad)

    for k, v in rnn.state_dict().items():
        state["rnn." + k] = tensor_json(v)
    for k, v in head.state_dict().items():
        state["head." + k] = tensor_json(v)

    case = {
        "name": c["name"],
        "cell": c["cell"],
        "nonlinearity": c["nonlinearity"] if c["cell"] == "RNN" else None,
        "layers": L,
    }
    if bidir:                           # absent (not false) for unidirectional models
        case["bidirectional"] = True
    case.update({
        "input_size": d,
        "hidden_size": n,
        "output_size": o,
        "batch": m,
        "steps": T,
        "loss": c["loss"],
        "lengths": list(c["lengths"]) if c["lengths"] is not None else None,
        "params": params,
        "torch_state_dict": state,
        "inputs": tensor_json(x),
        "targets": tensor_json(targets),
        "h0": tensor_json(h0) if h0 is not None else None,
        "c0": tensor_json(c0) if c0 is not None else None,
        "outputs": {
            "logits": tensor_json(logits),
            "top_hidden": tensor_json(top),
            "h_last": tensor_json(h_last),
            "c_last": tensor_json(c_last) if c_last is not None else None,
        },
        "loss_value": float(loss.item()),
        "grads": grads,
    })
    return case


def dumps(obj, indent=0):
    """Deterministic JSON: nested objects indented one key per line, except that tensors
    (``{"shape", "data"}``) and scalar lists are written compactly on a single line."""
    compact = lambda v: json.dumps(v, separators=(",", ":"), allow_nan=False)
    if isinstance(obj, dict) and obj and set(obj) != {"shape", "data"}:
        pad = " " * (indent + 2)
        items = [pad + json.dumps(k) + ": " + dumps(v, indent + 2) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    return compact(obj)


def write(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(obj) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--skip-check", action="store_true", help="do not run check_fixtures.py")
    args = ap.parse_args(argv)

    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    os.makedirs(FIXTURE_DIR, exist_ok=True)
    names = []
    for c in CASES:
        case = make_case(c)
        fname = c["name"] + ".json"
        write(os.path.join(FIXTURE_DIR, fname), case)
        names.append(fname)
        print(f"wrote {fname}: loss={case['loss_value']!r}, "
              f"{os.path.getsize(os.path.join(FIXTURE_DIR, fname))} bytes")
    write(os.path.join(FIXTURE_DIR, "index.json"), names)
    print(f"wrote index.json ({len(names)} cases) to {FIXTURE_DIR}")
    for cell in ("RNN", "LSTM", "GRU"):
        rows = [e for e, c in zip(BIAS_GRAD_DIFF, CELL_OF) if c == cell]
        if rows:
            w = max(rows, key=lambda e: e[2])
            print(f"{cell}: max |bias_ih.grad - bias_hh.grad|"
                  f"{' on [0:2n]' if cell == 'GRU' else ''} {w[2]:.2e} ({w[0]} layer {w[1]})")
    for ref in ("unpacked", "unpacked (given h0/c0)", "per-sequence"):
        for e in PACKED_DIFF:
            if e[1] == ref:
                print(f"packed vs {ref} run, {e[0]}: "
                      + (f"max |loss diff| {e[2]:.2e}, " if e[2] is not None else "")
                      + f"max |grad diff| {e[3]:.2e}"
                      + (f", max |output diff| (top_hidden t < len_b, h_n, c_n) {e[4]:.2e}"
                         if e[4] is not None else "")
                      + (f", of which h0/c0 {e[5]:.2e}" if len(e) > 5 else ""))

    if not args.skip_check:
        sys.dont_write_bytecode = True      # keep __pycache__ out of the source tree
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import check_fixtures
        return check_fixtures.main([FIXTURE_DIR])
    return 0


if __name__ == "__main__":
    sys.exit(main())
