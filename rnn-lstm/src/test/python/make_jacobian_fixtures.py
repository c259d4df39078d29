#!/usr/bin/python3
"""Generate float64 reference fixtures for rnn4j's gradient-flow diagnostics (Jacobian norms,
error signals, the LSTM cell-state derivative, per-lag gradient contributions, W_h spectra).

Run with the system interpreter (Debian package ``python3-torch``, PyTorch 1.13)::

    /usr/bin/python3 rnn-lstm/src/test/python/make_jacobian_fixtures.py

It writes one JSON file per case, plus ``index.json`` (the list of case file names), into
``rnn-lstm/src/test/resources/fixtures/jacobians/`` (resolved relative to this file, so any cwd
works).  Everything is computed in float64 (``torch.set_default_dtype(torch.float64)``) on the CPU
with ``torch.set_num_threads(1)`` and a fixed ``torch.manual_seed`` per case, so running it twice
produces byte-identical files.  The script asserts its own consistency checks (listed at the end of
this docstring) before writing anything; a failed check aborts it.

Conventions (the same as ``make_fixtures.py``)
==============================================

Data is time-major and row-vector: inputs ``x`` have shape (T, m, d) (T steps, m sequences, d
inputs per step).  Every tensor in the files is ``{"shape": [...], "data": [...]}``, flattened
row-major (C order), so element ``[i][j][k]`` of a tensor of shape (I, J, K) is
``data[(i*J + j)*K + k]``.

States are indexed by step: ``h_0`` is the initial state (given, or zero) and step ``t`` (1 <= t <=
T) makes ``h_t`` from ``h_{t-1}`` and the input ``x_t``, which is stored 0-based as ``inputs[t-1]``.
So every per-state array has T+1 entries (index k = state k) and every per-step array has T entries
(index t-1 = step t).

Model, per layer l (0-based) and step t, with row vectors (``u_t^0 = x_t``, ``u_t^l = h_t^{l-1}``
for l > 0 is the layer's input from below)::

    a_t = u_t . W_x + h_{t-1} . W_h + b                 pre-activation, shape (G*n)
    RNN            G = 1:  h_t = phi(a_t),   phi = tanh | relu | sigmoid
    LSTM           G = 4:  columns [i | f | g | o]
                           i = sig(a[0n:1n]), f = sig(a[1n:2n]), g = tanh(a[2n:3n]), o = sig(a[3n:4n])
                           c_t = f * c_{t-1} + i * g ;   h_t = o * tanh(c_t)
    LSTM_NO_FORGET G = 3:  columns [i | g | o]   (the 1997 LSTM: no forget gate, f == 1)
                           i = sig(a[0n:1n]), g = tanh(a[1n:2n]), o = sig(a[2n:3n])
                           c_t = c_{t-1} + i * g ;       h_t = o * tanh(c_t)

followed by a linear head on the top layer's hidden state at every step::

    o_t = h_t^{L-1} . W_y + b_y                         shape (o)

relu'(a) is taken as 1 for a > 0 and 0 otherwise (the generator asserts no pre-activation of a relu
case is within 1e-9 of 0).  tanh and relu RNNs are ``torch.nn.RNN`` and the LSTM is
``torch.nn.LSTM`` (the generator checks its own float64 forward against the module, with the module
holding exactly the stored parameters); the sigmoid RNN and LSTM_NO_FORGET are written out by hand
because PyTorch has no such modules.

Parameters (under ``params``, rnn4j layout)::

    layer{l}.W_x : (d_l, G*n)   (d_0 = d, d_l = n for l > 0)   <- weight_ih_l{l} transposed
    layer{l}.W_h : (n,   G*n)                                  <- weight_hh_l{l} transposed
    layer{l}.b   : (G*n,)                                      <- bias_ih_l{l} + bias_hh_l{l}
    W_y          : (n, o)                                      <- head.weight transposed
    b_y          : (o,)                                        <- head.bias

All parameters, inputs, float targets and initial states are float32-representable: they are drawn
in float32 and widened to float64 (``b`` is the float32 sum of the two PyTorch biases; a W_h that is
scaled to a spectral radius is rounded to float32 after scaling).  The float64 reference model
then uses exactly these numbers, so a Java float model loaded from the file holds the same weights.
Floats are written by Python's ``json`` module (``repr`` of the float64 value: the shortest decimal
that round-trips), so ``Double.parseDouble`` returns the stored float64 exactly and, for the
float32-representable quantities, ``Float.parseFloat`` returns the float32 value exactly.

Loss (``head``), always divided by the batch size m only and summed over all T steps::

    L = sum_{t=1..T} L_t,   L_t = (1/m) sum_b L_{t,b}
    "softmax": L_{t,b} = -log softmax(o_{t,b})[y_{t,b}]     targets: int class indices (T, m)
    "linear" : L_{t,b} = sum_j (o_{t,b,j} - y_{t,b,j})^2    targets: float (T, m, o), no 1/2

Throughout the diagnostics below, "L_t of sequence b" means (1/m) L_{t,b}, i.e. it INCLUDES the 1/m
factor (it is the share of sequence b in the loss term of step t).

Derivatives and "independent state variables"
=============================================

Jacobians are in the usual (column) convention: ``J[i][j] = d out_i / d in_j``.  The 2-norm of a
matrix is its largest singular value (``torch.linalg.matrix_norm(J, 2)``), the norm of a vector is
its Euclidean norm.  Everything is per sequence b (sequences do not interact).  "Perturb h_k" means:
replace the value of the state h_k (of the layer in question) by an independent variable and
recompute everything computed from it (all later steps of that layer and, in the 2-layer case, the
layers above from step k on: for k >= 1 the layer above at step k itself, for k = 0 only its later
steps, its own initial state being given); everything not computed from h_k keeps its trajectory
value.  For the LSTM the state is the pair (h_k, c_k) and h_k and c_k are perturbed as two
independent variables: "perturb h_k, c_k fixed" does not change c_k, and vice versa.
"Within-layer" quantities hold the layer's input from below (x_t, or h_t^{l-1}) at its trajectory
values.  All derivatives are evaluated at the trajectory.

JSON schema of a case file (keys in this order)
===============================================

``name``; ``cell`` ("RNN" | "LSTM" | "LSTM_NO_FORGET"); ``nonlinearity`` ("tanh" | "relu" |
"sigmoid" for RNN, null otherwise); ``layers`` L; ``input_size`` d; ``hidden_size`` n;
``output_size`` o; ``batch`` m; ``steps`` T; ``head`` ("softmax" | "linear");
``spectral_radius_target`` (the radius W_h of every layer was scaled to, or null for the initial
draw); ``seed``; ``params`` (names above -> tensor); ``inputs`` (T, m, d); ``targets`` ((T, m) int
or (T, m, o) float); ``h0``, ``c0`` ((L, m, n) or null = zero; c0 always null for the RNN);
``outputs`` {``logits`` (T, m, o): o_t at [t-1]}; ``loss_terms`` (T, m): [t-1][b] = (1/m) L_{t,b};
``loss_value`` L; ``diagnostics`` {``layer0``: {...}, ``layer1``: {...}} with, per layer l (the
trajectories h, c, a are time-major like the inputs; every other array is indexed first by the
sequence b)::

    h                       (T+1, m, n)  h[k][b] = state h_k of sequence b (h[0] = initial state)
    c                       (T+1, m, n)  cell state c_k the same way; null for the RNN
    a                       (T, m, G*n)  a[t-1][b] = pre-activation a_t (all gate columns)
    step_jacobian_norm      (m, T)       [b][t-1] = ||d h_t / d h_{t-1}||_2, within-layer, one step
                                         (LSTM kinds: c_{t-1} fixed)
    step_state_jacobian_norm (m, T)      [b][t-1] = ||d (h_t, c_t) / d (h_{t-1}, c_{t-1})||_2 of the
                                         2n x 2n Jacobian, rows/columns ordered (h, c); LSTM kinds
                                         only, null for the RNN
    jacobian_norm           (m, T+1)     [b][k] = ||d h_T / d h_k||_2, k = 0..T, within-layer,
                                         through the true recurrence (LSTM kinds: perturb h_k, c_k
                                         fixed; the effect flows through both h and c); [b][T] = 1
    cell_jacobian_norm      (m, T+1)     [b][k] = ||d c_T / d c_k||_2 (perturb c_k, h_k fixed),
                                         within-layer; [b][T] = 1; null for the RNN
    error_signal            (m, T, T+1)  [b][t-1][k] = ||d L_t / d h_k||_2 for t = 1..T, k = 0..T,
                                         L_t of sequence b incl. 1/m; the exact total derivative
                                         (in the 2-layer case through both layers, perturbing h_k
                                         of this layer; LSTM kinds: c_k fixed); entries with k > t
                                         are exactly 0 (L_t does not depend on later states)
    error_signal_c          (m, T, T+1)  [b][t-1][k] = ||d L_t / d c_k||_2 (h_k fixed); 0 for k > t;
                                         null for the RNN
    error_signal_total      (m, T+1)     [b][k] = ||d L / d h_k||_2 = ||sum_t d L_t / d h_k||_2 (what
                                         BPTT holds for h_k of sequence b; k = 0 is the initial state)
    error_signal_total_c    (m, T+1)     [b][k] = ||d L / d c_k||_2 = ||sum_t d L_t / d c_k||_2, c_k
                                         as an independent state variable (h_k fixed); null for the
                                         RNN.  NOTE: this is the gradient BPTT carries from step
                                         k+1 back into c_k ("dc_next"), NOT the total gradient of
                                         the computed c_k, which for k >= 1 adds the path through
                                         h_k = o_k tanh(c_k):  dL/dc_k(graph) = this vector +
                                         o_k * (1 - tanh^2 c_k) * dL/dh_k  (checked by the script)
    dc_full_norm            (m, T)       [b][t-1] = ||D_t||_2, D_t the n x n Jacobian of the map
                                         C_{t-1} -> C_t in which h_{t-1} = o_{t-1} * tanh(C_{t-1})
                                         with o_{t-1} held at its trajectory value (and x_t, or the
                                         input from below, fixed); for t = 1, h_0 is the given
                                         initial state and does not depend on C_0, so
                                         D_1 = diag(f_1) (= I for LSTM_NO_FORGET).  For t >= 2:
                                         D_t = diag(f_t) + (d c_t / d h_{t-1}) diag(o_{t-1} (1 -
                                         tanh^2 c_{t-1})).  LSTM kinds only, null for the RNN
    dc_forget_norm          (m, T)       [b][t-1] = max_j f_t[j] = ||diag(f_t)||_2 (exactly 1.0 for
                                         LSTM_NO_FORGET); null for the RNN
    dc_product_norm         (m, T+1)     [b][k] = ||D_T D_{T-1} ... D_{k+1}||_2, k = 0..T; [b][T] = 1;
                                         null for the RNN
    w_hh_eigenvalues        {"re": [...], "im": [...]}  the n eigenvalues of the square W_h (RNN
                                         only, null otherwise), sorted by descending modulus
                                         hypot(re, im), then ascending re, then ascending im
    w_hh_spectral_radius    max modulus of those eigenvalues (RNN only, null otherwise)
    w_hh_sigma_max          ||W_h||_2 of the stored (n x G*n) W_h (all cells)
    grad_wx                 (d_l, G*n)   dL/d layer{l}.W_x (full batch loss L)
    grad_wh                 (n, G*n)     dL/d layer{l}.W_h
    grad_b                  (G*n,)       dL/d layer{l}.b
    per_lag_grad_wh_norm    (T,)         [lag] = ||S_h(lag)||_F, lag = 0..T-1, where
                                         S_h(lag) = sum_b sum_{1 <= k <= t <= T, t-k = lag}
                                                    outer(h_{k-1,b}, d L_{t} / d a_{k,b})
                                         is the part of dL/dW_h that loss term t sends through step k
                                         (a_k: pre-activation of step k of this layer, all G*n
                                         columns; L_t incl. 1/m; exact total derivative as for
                                         error_signal).  sum_lag S_h(lag) = grad_wh.
    per_lag_grad_wx_norm    (T,)         the same with outer(u_{k,b}, d L_t / d a_{k,b}) (u_k = x_k
                                         for layer 0, h_k^{l-1} above); sum_lag S_x(lag) = grad_wx.

Entries that are exactly 1 by definition ([b][T] of jacobian_norm, cell_jacobian_norm,
dc_product_norm) are stored as 1.0.  When h_0 = 0, per_lag_grad_wh_norm[T-1] is exactly 0 (the
only term of lag T-1 is outer(h_0, ...)).

Each Jacobian above is computed with ``torch.autograd.functional.jacobian`` on a function of one
sequence's state; per-lag contributions use additive zero perturbations of every a_k.

Cases
=====

    name                   cell            phi      L  d   n   o  m  T   head     W_h radius  initial state
    rnn_tanh_rho05         RNN             tanh     1  3   7   4  2  9   softmax  0.5         zero
    rnn_tanh_rho10_h0      RNN             tanh     1  5   13  3  3  11  linear   1.0         h0 ~ N(0,1)
    rnn_tanh_rho15         RNN             tanh     1  2   11  3  2  13  softmax  1.5         zero
    rnn_tanh_tiny_rho15    RNN             tanh     1  1   3   2  1  6   linear   1.5         zero
    rnn_tanh_n33           RNN             tanh     1  4   33  5  2  7   softmax  (init)      zero
    rnn_relu               RNN             relu     1  5   13  4  3  11  softmax  (init)      zero
    rnn_sigmoid            RNN             sigmoid  1  3   7   2  2  9   linear   (init)      zero
    rnn_tanh_2layer_h0     RNN             tanh     2  3   7   3  2  9   softmax  (init)      h0 ~ N(0,1)
    lstm_state             LSTM            -        1  3   7   4  2  9   softmax  -           h0, c0 ~ N(0,1)
    lstm_tiny_linear       LSTM            -        1  1   3   2  1  6   linear   -           zero
    lstm_medium            LSTM            -        1  5   13  3  3  11  softmax  -           zero
    lstm1997               LSTM_NO_FORGET  -        1  3   7   4  2  9   softmax  -           zero
    lstm1997_state_linear  LSTM_NO_FORGET  -        1  5   13  3  3  11  linear   -           h0, c0 ~ N(0,1)

"W_h radius" r: W_h (drawn as below) is multiplied by r / rho(W_h) in float64 and rounded to
float32, so the stored spectral radius (``w_hh_spectral_radius``) is r up to about 1e-8.

Consistency checks done by the script (all must hold or it aborts)
==================================================================

* its float64 forward equals ``torch.nn.RNN`` / ``torch.nn.LSTM`` (float64 copy holding the stored
  parameters) to 1e-12;
* hand-formed one-step Jacobians, independent of autograd (RNN, column convention:
  ``diag(phi'(a_t)) W_h^T``; LSTM kinds: the 2n x 2n state Jacobian from the gate derivatives, and
  the D_t formula above) equal the autograd ones, and their dense products equal the autograd
  ``d h_T / d h_k``, ``d c_T / d c_k`` and ``D_T...D_{k+1}`` to 1e-10 (relative to max(1, |entry|));
* ``sum_t d L_t / d h_k`` equals ``dL/dh_k`` from one batched backward pass (BPTT), to 1e-10;
* ``sum_lag S_h(lag)`` and ``sum_lag S_x(lag)`` equal the autograd ``dL/dW_h`` and ``dL/dW_x`` to
  1e-10; ``sum_b loss_terms`` equals ``loss_value``.

Random draws, per case after ``torch.manual_seed(seed)``, all in float32: the recurrent weights
(``nn.RNN``/``nn.LSTM`` with ``dtype=torch.float32``: PyTorch's default init U(-1/sqrt(n),
1/sqrt(n)); hand-written cells: per layer W_x, W_h, b in rnn4j layout, each U(-1/sqrt(n),
1/sqrt(n))), the head (``nn.Linear(n, o, dtype=torch.float32)``), inputs ~ N(0, 1), targets
(uniform classes, or N(0, 1)), then h0 and (LSTM kinds) c0 ~ N(0, 1) when given.
"""

import json
import math
import os
import sys

import torch
from torch.autograd.functional import jacobian

OUT_DIR = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "jacobians"))

F32 = torch.float32
F64 = torch.float64
CHECK_TOL = 1e-10
FWD_TOL = 1e-12

# name, seed, cell, nonlinearity, layers, d, n, o, m, T, head, spectral-radius target of W_h,
# given initial state
CASES = [
    dict(name="rnn_tanh_rho05", seed=5001, cell="RNN", nonlinearity="tanh", layers=1,
         d=3, n=7, o=4, m=2, T=9, head="softmax", radius=0.5, given_state=False),
    dict(name="rnn_tanh_rho10_h0", seed=5002, cell="RNN", nonlinearity="tanh", layers=1,
         d=5, n=13, o=3, m=3, T=11, head="linear", radius=1.0, given_state=True),
    dict(name="rnn_tanh_rho15", seed=5003, cell="RNN", nonlinearity="tanh", layers=1,
         d=2, n=11, o=3, m=2, T=13, head="softmax", radius=1.5, given_state=False),
    dict(name="rnn_tanh_tiny_rho15", seed=5004, cell="RNN", nonlinearity="tanh", layers=1,
         d=1, n=3, o=2, m=1, T=6, head="linear", radius=1.5, given_state=False),
    dict(name="rnn_tanh_n33", seed=5005, cell="RNN", nonlinearity="tanh", layers=1,
         d=4, n=33, o=5, m=2, T=7, head="softmax", radius=None, given_state=False),
    dict(name="rnn_relu", seed=5006, cell="RNN", nonlinearity="relu", layers=1,
         d=5, n=13, o=4, m=3, T=11, head="softmax", radius=None, given_state=False),
    dict(name="rnn_sigmoid", seed=5007, cell="RNN", nonlinearity="sigmoid", layers=1,
         d=3, n=7, o=2, m=2, T=9, head="linear", radius=None, given_state=False),
    dict(name="rnn_tanh_2layer_h0", seed=5008, cell="RNN", nonlinearity="tanh", layers=2,
         d=3, n=7, o=3, m=2, T=9, head="softmax", radius=None, given_state=True),
    dict(name="lstm_state", seed=6001, cell="LSTM", nonlinearity=None, layers=1,
         d=3, n=7, o=4, m=2, T=9, head="softmax", radius=None, given_state=True),
    dict(name="lstm_tiny_linear", seed=6002, cell="LSTM", nonlinearity=None, layers=1,
         d=1, n=3, o=2, m=1, T=6, head="linear", radius=None, given_state=False),
    dict(name="lstm_medium", seed=6003, cell="LSTM", nonlinearity=None, layers=1,
         d=5, n=13, o=3, m=3, T=11, head="softmax", radius=None, given_state=False),
    dict(name="lstm1997", seed=7001, cell="LSTM_NO_FORGET", nonlinearity=None, layers=1,
         d=3, n=7, o=4, m=2, T=9, head="softmax", radius=None, given_state=False),
    dict(name="lstm1997_state_linear", seed=7002, cell="LSTM_NO_FORGET", nonlinearity=None,
         layers=1, d=5, n=13, o=3, m=3, T=11, head="linear", radius=None, given_state=True),
]

GATES = {"RNN": 1, "LSTM": 4, "LSTM_NO_FORGET": 3}


# ----------------------------------------------------------------------------------------------
# JSON helpers (same style as make_fixtures.py)

def tensor_json(t, f32=False):
    """``{"shape", "data"}`` of a float64 (or integer) tensor, flattened row-major.
    ``f32``: also assert every value is float32-representable."""
    t = t.detach().contiguous()
    if t.is_floating_point():
        assert t.dtype == F64, t.dtype
        assert bool(torch.isfinite(t).all()), "non-finite value"
        if f32:
            assert torch.equal(t.to(F32).to(F64), t), "not float32-representable"
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


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


def norm2(J):
    return float(torch.linalg.matrix_norm(J, 2))


def assert_close(a, b, what, tol=CHECK_TOL):
    a, b = a.detach(), b.detach()
    assert a.shape == b.shape, (what, a.shape, b.shape)
    err = float(((a - b).abs() / b.abs().clamp(min=1.0)).max()) if a.numel() else 0.0
    assert err <= tol, f"{what}: max rel error {err:.3e} > {tol:.0e}"
    return err


# ----------------------------------------------------------------------------------------------
# The model in rnn4j layout, float64

class Model:
    def __init__(self, cell, nonlinearity, layers, Wx, Wh, b, Wy, by, head):
        self.cell, self.nl, self.L = cell, nonlinearity, layers
        self.Wx, self.Wh, self.b, self.Wy, self.by = Wx, Wh, b, Wy, by
        self.head = head
        self.n = Wh[0].shape[0]
        self.lstm = cell != "RNN"

    def phi(self, a):
        if self.nl == "tanh":
            return torch.tanh(a)
        if self.nl == "relu":
            return torch.relu(a)
        if self.nl == "sigmoid":
            return torch.sigmoid(a)
        raise ValueError(self.nl)

    def gates(self, a):
        """(i, f, g, o) post-activations; f is None for LSTM_NO_FORGET."""
        n = self.n
        if self.cell == "LSTM":
            return (torch.sigmoid(a[..., 0:n]), torch.sigmoid(a[..., n:2 * n]),
                    torch.tanh(a[..., 2 * n:3 * n]), torch.sigmoid(a[..., 3 * n:4 * n]))
        return (torch.sigmoid(a[..., 0:n]), None,
                torch.tanh(a[..., n:2 * n]), torch.sigmoid(a[..., 2 * n:3 * n]))

    def step(self, l, u, h, c, eps=None):
        """One step of layer l: input u, state (h, c) -> (h', c', a).  Works on (n,) or (m, n)."""
        a = u @ self.Wx[l] + h @ self.Wh[l] + self.b[l]
        if eps is not None:
            a = a + eps
        if not self.lstm:
            return self.phi(a), None, a
        i, f, g, o = self.gates(a)
        c2 = (c if f is None else f * c) + i * g
        return o * torch.tanh(c2), c2, a

    def loss_terms(self, h_top, y, m):
        """(1/m) L_{t,b} for one step; h_top (..., n), y (...) int or (..., o) float."""
        out = h_top @ self.Wy + self.by
        if self.head == "softmax":
            lp = torch.log_softmax(out, dim=-1)
            return -lp.gather(-1, y.unsqueeze(-1)).squeeze(-1) / m, out
        return ((out - y) ** 2).sum(dim=-1) / m, out

    def forward(self, x, y, h0, c0, m, override=None, eps=None):
        """Full forward over T steps.  x (T, [m,] d); h0/c0: per-layer lists.
        override = (l, k, hv, cv): after state k of layer l is formed (k = 0: the initial state),
        replace it by hv (and c by cv when cv is not None), everything downstream recomputed.
        eps: per layer, per step additive perturbation of a (list of lists) or None.
        Returns H[l][k], C[l][k] (k = 0..T), A[l][t-1], per-step loss terms (T, [m]), logits."""
        T = x.shape[0]
        H = [[h0[l]] for l in range(self.L)]
        C = [[c0[l]] for l in range(self.L)]
        A = [[] for _ in range(self.L)]

        def apply(l, k):
            if override is not None and override[0] == l and override[1] == k:
                H[l][k] = override[2]
                if override[3] is not None:
                    C[l][k] = override[3]

        for l in range(self.L):
            apply(l, 0)
        losses, logits = [], []
        for t in range(1, T + 1):
            u = x[t - 1]
            for l in range(self.L):
                e = None if eps is None else eps[l][t - 1]
                h, c, a = self.step(l, u, H[l][t - 1], C[l][t - 1], e)
                H[l].append(h)
                C[l].append(c)
                A[l].append(a)
                apply(l, t)
                u = H[l][t]
            lt, out = self.loss_terms(u, y[t - 1], m)
            losses.append(lt)
            logits.append(out)
        return H, C, A, torch.stack(losses), torch.stack(logits)


# ----------------------------------------------------------------------------------------------
# Hand-formed Jacobians (no autograd), column convention

def hand_step_jacobian(M, l, a, c_prev, c_new, o_prev_state=None):
    """RNN: diag(phi'(a)) W_h^T (n x n).  LSTM kinds: the 2n x 2n Jacobian of (h_t, c_t) with
    respect to (h_{t-1}, c_{t-1}), plus dc_t/dh_{t-1} (n x n)."""
    n, Wh = M.n, M.Wh[l]
    if not M.lstm:
        if M.nl == "tanh":
            d = 1 - torch.tanh(a) ** 2
        elif M.nl == "relu":
            d = (a > 0).to(F64)
        else:
            s = torch.sigmoid(a)
            d = s * (1 - s)
        return d.unsqueeze(1) * Wh.t(), None
    i, f, g, o = M.gates(a)
    blocks = {}
    if M.cell == "LSTM":
        blocks = dict(i=Wh[:, 0:n], f=Wh[:, n:2 * n], g=Wh[:, 2 * n:3 * n], o=Wh[:, 3 * n:4 * n])
    else:
        blocks = dict(i=Wh[:, 0:n], g=Wh[:, n:2 * n], o=Wh[:, 2 * n:3 * n])
    di, dg, do = i * (1 - i), 1 - g ** 2, o * (1 - o)
    dc_dh = (g * di).unsqueeze(1) * blocks["i"].t() + (i * dg).unsqueeze(1) * blocks["g"].t()
    if f is not None:
        dc_dh = dc_dh + (c_prev * f * (1 - f)).unsqueeze(1) * blocks["f"].t()
        dc_dc = torch.diag(f)
    else:
        dc_dc = torch.eye(n)
    tc = torch.tanh(c_new)
    dh_dh = (tc * do).unsqueeze(1) * blocks["o"].t() + (o * (1 - tc ** 2)).unsqueeze(1) * dc_dh
    dh_dc = (o * (1 - tc ** 2)).unsqueeze(1) * dc_dc
    S = torch.cat([torch.cat([dh_dh, dh_dc], 1), torch.cat([dc_dh, dc_dc], 1)], 0)
    return S, dc_dh


# ----------------------------------------------------------------------------------------------
# Case construction

def draw_case(c):
    torch.manual_seed(c["seed"])
    L, d, n, o, m, T = c["layers"], c["d"], c["n"], c["o"], c["m"], c["T"]
    G = GATES[c["cell"]]
    module = None
    Wx, Wh, b = [], [], []
    if c["cell"] == "LSTM" or (c["cell"] == "RNN" and c["nonlinearity"] in ("tanh", "relu")):
        if c["cell"] == "LSTM":
            module = torch.nn.LSTM(d, n, num_layers=L, bias=True, dtype=F32)
        else:
            module = torch.nn.RNN(d, n, num_layers=L, nonlinearity=c["nonlinearity"], bias=True,
                                  dtype=F32)
        for l in range(L):
            Wx.append(getattr(module, f"weight_ih_l{l}").detach().t().contiguous())
            Wh.append(getattr(module, f"weight_hh_l{l}").detach().t().contiguous())
            b.append((getattr(module, f"bias_ih_l{l}") + getattr(module, f"bias_hh_l{l}")).detach())
    else:
        k = 1.0 / math.sqrt(n)
        for l in range(L):
            d_l = d if l == 0 else n
            Wx.append(torch.empty(d_l, G * n, dtype=F32).uniform_(-k, k))
            Wh.append(torch.empty(n, G * n, dtype=F32).uniform_(-k, k))
            b.append(torch.empty(G * n, dtype=F32).uniform_(-k, k))
    head = torch.nn.Linear(n, o, dtype=F32)
    x = torch.randn(T, m, d, dtype=F32)
    if c["head"] == "softmax":
        y = torch.randint(0, o, (T, m))
    else:
        y = torch.randn(T, m, o, dtype=F32)
    h0 = c0 = None
    if c["given_state"]:
        h0 = torch.randn(L, m, n, dtype=F32)
        if c["cell"] != "RNN":
            c0 = torch.randn(L, m, n, dtype=F32)

    Wx = [w.to(F64) for w in Wx]
    Wh = [w.to(F64) for w in Wh]
    b = [v.to(F64) for v in b]
    if c["radius"] is not None:
        assert c["cell"] == "RNN"
        for l in range(L):
            rho = float(torch.linalg.eigvals(Wh[l]).abs().max())
            Wh[l] = (Wh[l] * (c["radius"] / rho)).to(F32).to(F64)
    Wy = head.weight.detach().t().contiguous().to(F64)
    by = head.bias.detach().to(F64)
    x = x.to(F64)
    if y.is_floating_point():
        y = y.to(F64)
    h0 = None if h0 is None else h0.to(F64)
    c0 = None if c0 is None else c0.to(F64)
    model = Model(c["cell"], c["nonlinearity"], L, Wx, Wh, b, Wy, by, c["head"])

    if module is not None:      # the stored parameters in a float64 copy of the PyTorch module
        module = module.to(F64)
        with torch.no_grad():
            for l in range(L):
                getattr(module, f"weight_ih_l{l}").copy_(Wx[l].t())
                getattr(module, f"weight_hh_l{l}").copy_(Wh[l].t())
                getattr(module, f"bias_ih_l{l}").copy_(b[l])
                getattr(module, f"bias_hh_l{l}").zero_()
    return model, module, x, y, h0, c0


def make_case(c):
    L, d, n, o, m, T = c["layers"], c["d"], c["n"], c["o"], c["m"], c["T"]
    G = GATES[c["cell"]]
    M, module, x, y, h0, c0 = draw_case(c)
    lstm = M.lstm
    zeros = torch.zeros(L, m, n)
    H0 = h0 if h0 is not None else zeros
    C0 = (c0 if c0 is not None else zeros) if lstm else None
    h0l = [H0[l] for l in range(L)]
    c0l = [C0[l] if lstm else None for l in range(L)]

    # ---- batched forward with leaves for BPTT and per-step a-perturbations
    Wx_leaf = [w.clone().requires_grad_(True) for w in M.Wx]
    Wh_leaf = [w.clone().requires_grad_(True) for w in M.Wh]
    b_leaf = [v.clone().requires_grad_(True) for v in M.b]
    Mg = Model(M.cell, M.nl, L, Wx_leaf, Wh_leaf, b_leaf, M.Wy, M.by, M.head)
    eps = [[torch.zeros(m, G * n, requires_grad=True) for _ in range(T)] for _ in range(L)]
    h0g = [v.clone().requires_grad_(True) for v in h0l]
    c0g = [v.clone().requires_grad_(True) if lstm else None for v in c0l]
    H, C, A, losses, logits = Mg.forward(x, y, h0g, c0g, m, eps=eps)
    for l in range(L):
        for k in range(1, T + 1):
            H[l][k].retain_grad()
            if lstm:
                C[l][k].retain_grad()
    loss = losses.sum()
    loss_value = float(loss)
    assert abs(float(losses.sum(dim=1).sum()) - loss_value) <= 1e-14 * max(1.0, abs(loss_value))

    # BPTT over the whole batch first; snapshot the gradients of the states and parameters
    loss.backward(retain_graph=True)
    gH = [[(H[l][k].grad if H[l][k].grad is not None else torch.zeros(m, n)).clone()
           for k in range(T + 1)] for l in range(L)]
    gC = [[(C[l][k].grad if C[l][k].grad is not None else torch.zeros(m, n)).clone()
           if lstm else None for k in range(T + 1)] for l in range(L)]
    gWx = [w.grad.clone() for w in Wx_leaf]
    gWh = [w.grad.clone() for w in Wh_leaf]
    gb = [v.grad.clone() for v in b_leaf]

    # per-lag contributions: dL_t/da_k for every t (sum over the batch of sequence terms)
    flat_eps = [e for l in range(L) for e in eps[l]]
    delta = []          # delta[t-1][l][k-1] (m, G*n)
    for t in range(1, T + 1):
        gs = torch.autograd.grad(losses[t - 1].sum(), flat_eps, retain_graph=True, allow_unused=True)
        gs = [torch.zeros(m, G * n) if g_ is None else g_ for g_ in gs]
        delta.append([gs[l * T:(l + 1) * T] for l in range(L)])

    # ---- forward check against the PyTorch module
    Hd = [[v.detach() for v in H[l]] for l in range(L)]
    Cd = [[v.detach() if lstm else None for v in C[l]] for l in range(L)]
    Ad = [[v.detach() for v in A[l]] for l in range(L)]
    if module is not None:
        with torch.no_grad():
            if lstm:
                top, (hl, cl) = module(x, (H0, C0))
                assert_close(cl, torch.stack([Cd[l][T] for l in range(L)]), "c_T vs module", FWD_TOL)
            else:
                top, hl = module(x, H0)
        assert_close(top, torch.stack(Hd[L - 1][1:]), "top hidden vs module", FWD_TOL)
        assert_close(hl, torch.stack([Hd[l][T] for l in range(L)]), "h_T vs module", FWD_TOL)
    if M.nl == "relu":
        assert float(min(v.abs().min() for v in Ad[0])) > 1e-9, "relu pre-activation too close to 0"

    diagnostics = {}
    for l in range(L):
        diagnostics[f"layer{l}"] = layer_diagnostics(
            c, M, l, x, y, h0l, c0l, Hd, Cd, Ad, gH, gC, delta, gWx, gWh, gb)

    return {
        "name": c["name"],
        "cell": c["cell"],
        "nonlinearity": c["nonlinearity"] if not lstm else None,
        "layers": L,
        "input_size": d,
        "hidden_size": n,
        "output_size": o,
        "batch": m,
        "steps": T,
        "head": c["head"],
        "spectral_radius_target": c["radius"],
        "seed": c["seed"],
        "params": params_json(M),
        "inputs": tensor_json(x, f32=True),
        "targets": tensor_json(y, f32=True),
        "h0": tensor_json(h0, f32=True) if h0 is not None else None,
        "c0": tensor_json(c0, f32=True) if c0 is not None else None,
        "outputs": {"logits": tensor_json(logits.detach())},
        "loss_terms": tensor_json(losses.detach()),
        "loss_value": loss_value,
        "diagnostics": diagnostics,
    }


def params_json(M):
    p = {}
    for l in range(M.L):
        p[f"layer{l}.W_x"] = tensor_json(M.Wx[l], f32=True)
        p[f"layer{l}.W_h"] = tensor_json(M.Wh[l], f32=True)
        p[f"layer{l}.b"] = tensor_json(M.b[l], f32=True)
    p["W_y"] = tensor_json(M.Wy, f32=True)
    p["b_y"] = tensor_json(M.by, f32=True)
    return p


def layer_diagnostics(c, M, l, x, y, h0l, c0l, Hd, Cd, Ad, gH, gC, delta, gWx, gWh, gb):
    """The diagnostics of layer l.  gH/gC[l][k] (m, n): dL/dh_k, dL/dc_k from batched BPTT;
    delta[t-1][l][k-1] (m, G*n): dL_t/da_k; gWx/gWh/gb: dL/dW_x, dL/dW_h, dL/db."""
    L, n, m, T = M.L, M.n, c["m"], c["T"]
    G = GATES[c["cell"]]
    lstm = M.lstm
    name = f"{c['name']} layer{l}"
    # the layer's input from below, u[t-1] = u_t (m, d_l)
    U = x if l == 0 else torch.stack(Hd[l - 1][1:])

    step_norm = torch.zeros(m, T)
    state_norm = torch.zeros(m, T)
    jac_norm = torch.zeros(m, T + 1)
    cell_norm = torch.zeros(m, T + 1)
    err = torch.zeros(m, T, T + 1)
    err_c = torch.zeros(m, T, T + 1)
    err_tot = torch.zeros(m, T + 1)
    err_tot_c = torch.zeros(m, T + 1)
    dc_full = torch.zeros(m, T)
    dc_forget = torch.zeros(m, T)
    dc_prod = torch.zeros(m, T + 1)

    for b in range(m):
        hs = [Hd[l][k][b] for k in range(T + 1)]
        cs = [Cd[l][k][b] for k in range(T + 1)] if lstm else None
        us = [U[t - 1][b] for t in range(1, T + 1)]           # us[t-1] = u_t

        def run(k, hv, cv):
            """Within-layer recurrence from state k (replaced by hv, cv) to state T."""
            h, cc = hv, cv
            for t in range(k + 1, T + 1):
                h, cc, _ = M.step(l, us[t - 1], h, cc)
            return h, cc

        # 1. one-step Jacobians (autograd) vs hand-formed
        hand = []
        for t in range(1, T + 1):
            a_t = Ad[l][t - 1][b]
            if lstm:
                S = jacobian(lambda s: torch.cat(M.step(l, us[t - 1], s[:n], s[n:])[:2]),
                             torch.cat([hs[t - 1], cs[t - 1]]))
                Sh, dc_dh = hand_step_jacobian(M, l, a_t, cs[t - 1], cs[t])
                assert_close(S, Sh, f"{name} b{b} state jacobian t={t}")
                state_norm[b, t - 1] = norm2(S)
                J = S[:n, :n]
                hand.append((Sh, dc_dh))
            else:
                J = jacobian(lambda h: M.step(l, us[t - 1], h, None)[0], hs[t - 1])
                Jh, _ = hand_step_jacobian(M, l, a_t, None, None)
                assert_close(J, Jh, f"{name} b{b} step jacobian t={t}")
                hand.append((Jh, None))
            step_norm[b, t - 1] = norm2(J)

        # 2./3. d h_T / d h_k (c_k fixed), d c_T / d c_k (h_k fixed), with the hand products
        P = torch.eye(2 * n if lstm else n)        # hand product of step Jacobians T..k+1
        for k in range(T, -1, -1):
            if k < T:
                P = P @ hand[k][0]                  # hand[k] is step k+1
            if k == T:
                jac_norm[b, k] = 1.0
                cell_norm[b, k] = 1.0
                continue
            Jk = jacobian(lambda h: run(k, h, cs[k] if lstm else None)[0], hs[k])
            assert_close(Jk, P[:n, :n], f"{name} b{b} dh_T/dh_{k} vs hand product")
            jac_norm[b, k] = norm2(Jk)
            if lstm:
                Jc = jacobian(lambda cc: run(k, hs[k], cc)[1], cs[k])
                assert_close(Jc, P[n:, n:], f"{name} b{b} dc_T/dc_{k} vs hand product")
                cell_norm[b, k] = norm2(Jc)

        # 4. error signals: d L_t / d h_k (and d c_k) of sequence b, exact through all layers
        xb = x[:, b]
        yb = y[:, b]
        h0b = [h0l[j][b] for j in range(L)]
        c0b = [c0l[j][b] if lstm else None for j in range(L)]
        for k in range(T + 1):
            if lstm:
                f = lambda hv, cv: M.forward(xb, yb, h0b, c0b, m, override=(l, k, hv, cv))[3]
                Eh, Ec = jacobian(f, (hs[k], cs[k]))
            else:
                f = lambda hv: M.forward(xb, yb, h0b, c0b, m, override=(l, k, hv, None))[3]
                Eh, Ec = jacobian(f, hs[k]), None
            for t in range(1, T + 1):
                if t < k:
                    assert not bool(Eh[t - 1].any()), "dL_t/dh_k must vanish for k > t"
                    if lstm:
                        assert not bool(Ec[t - 1].any())
                err[b, t - 1, k] = float(Eh[t - 1].norm())
                if lstm:
                    err_c[b, t - 1, k] = float(Ec[t - 1].norm())
            # BPTT check: sum_t dL_t/dh_k equals dL/dh_k from the batched backward pass
            assert_close(Eh.sum(0), gH[l][k][b], f"{name} b{b} sum_t dL_t/dh_{k} vs BPTT")
            err_tot[b, k] = float(Eh.sum(0).norm())
            if lstm:
                # the graph's c_k also feeds h_k = o_k tanh(c_k) (k >= 1), so its gradient adds
                # the path through h_k to the independent-variable derivative stored here
                via_h = 0.0
                if k > 0:
                    o_k = M.gates(Ad[l][k - 1][b])[3]
                    via_h = o_k * (1 - torch.tanh(cs[k]) ** 2) * Eh.sum(0)
                assert_close(Ec.sum(0) + via_h, gC[l][k][b], f"{name} b{b} sum_t dL_t/dc_{k} vs BPTT")
                err_tot_c[b, k] = float(Ec.sum(0).norm())

        # 5. the derivation's dC_t/dC_{t-1} (o_{t-1} frozen), with hand formula and products
        if lstm:
            Ds = []
            for t in range(1, T + 1):
                i_t, f_t, g_t, o_t = M.gates(Ad[l][t - 1][b])
                if t == 1:
                    D = jacobian(lambda cc: M.step(l, us[0], hs[0], cc)[1], cs[0])
                    Dh = torch.diag(f_t) if f_t is not None else torch.eye(n)
                else:
                    o_prev = M.gates(Ad[l][t - 2][b])[3]
                    assert_close(o_prev * torch.tanh(cs[t - 1]), hs[t - 1], f"{name} h = o tanh(c)",
                                 1e-15)
                    D = jacobian(lambda cc: M.step(l, us[t - 1], o_prev * torch.tanh(cc), cc)[1],
                                 cs[t - 1])
                    dc_dh = hand[t - 1][1]
                    Dh = (torch.diag(f_t) if f_t is not None else torch.eye(n)) \
                        + dc_dh * (o_prev * (1 - torch.tanh(cs[t - 1]) ** 2)).unsqueeze(0)
                assert_close(D, Dh, f"{name} b{b} D_{t} vs hand formula")
                Ds.append(D)
                dc_full[b, t - 1] = norm2(D)
                dc_forget[b, t - 1] = float(f_t.max()) if f_t is not None else 1.0
            P = torch.eye(n)
            dc_prod[b, T] = 1.0
            for k in range(T - 1, -1, -1):
                P = P @ Ds[k]                       # Ds[k] = D_{k+1}
                dc_prod[b, k] = norm2(P)
            # o frozen from step k on: D_T...D_{k+1} is d c_T / d c_k of that modified system
            # (k >= 1: h_k = o_k tanh(c_k) follows c_k); check one k by autograd
            k = max(1, T // 2)
            o_fix = [None] + [M.gates(Ad[l][t - 1][b])[3] for t in range(1, T + 1)]

            def run_frozen(cc):
                for t in range(k + 1, T + 1):
                    _, cc, _ = M.step(l, us[t - 1], o_fix[t - 1] * torch.tanh(cc), cc)
                return cc
            Pk = torch.eye(n)
            for t in range(T, k, -1):
                Pk = Pk @ Ds[t - 1]
            assert_close(jacobian(run_frozen, cs[k]), Pk, f"{name} b{b} D product vs frozen-o run")

    # 6. spectrum of W_h
    Wh = M.Wh[l]
    if not lstm:
        ev = torch.linalg.eigvals(Wh).tolist()
        ev = sorted(((z.real, z.imag) for z in ev), key=lambda p: (-math.hypot(p[0], p[1]), p[0], p[1]))
        eig = {"re": [p[0] for p in ev], "im": [p[1] for p in ev]}
        radius = max(math.hypot(p[0], p[1]) for p in ev)
    else:
        eig, radius = None, None

    # 7. per-lag decomposition of dL/dW_h and dL/dW_x
    hprev = [Hd[l][k - 1] for k in range(1, T + 1)]         # (m, n) each, h_{k-1}
    S_h = torch.zeros(T, n, G * n)
    S_x = torch.zeros(T, U.shape[2], G * n)
    for t in range(1, T + 1):
        for k in range(1, t + 1):
            dk = delta[t - 1][l][k - 1]                       # dL_t/da_k (m, G*n)
            S_h[t - k] += hprev[k - 1].t() @ dk
            S_x[t - k] += U[k - 1].t() @ dk
        for k in range(t + 1, T + 1):
            assert not bool(delta[t - 1][l][k - 1].any()), "dL_t/da_k must vanish for k > t"
    grad_wh, grad_wx, grad_b = gWh[l], gWx[l], gb[l]
    assert_close(S_h.sum(0), grad_wh, f"{name} sum of per-lag W_h contributions vs autograd")
    assert_close(S_x.sum(0), grad_wx, f"{name} sum of per-lag W_x contributions vs autograd")
    lag_h = torch.tensor([float(S_h[i].norm()) for i in range(T)])
    lag_x = torch.tensor([float(S_x[i].norm()) for i in range(T)])

    return {
        "h": tensor_json(torch.stack(Hd[l])),
        "c": tensor_json(torch.stack(Cd[l])) if lstm else None,
        "a": tensor_json(torch.stack(Ad[l])),
        "step_jacobian_norm": tensor_json(step_norm),
        "step_state_jacobian_norm": tensor_json(state_norm) if lstm else None,
        "jacobian_norm": tensor_json(jac_norm),
        "cell_jacobian_norm": tensor_json(cell_norm) if lstm else None,
        "error_signal": tensor_json(err),
        "error_signal_c": tensor_json(err_c) if lstm else None,
        "error_signal_total": tensor_json(err_tot),
        "error_signal_total_c": tensor_json(err_tot_c) if lstm else None,
        "dc_full_norm": tensor_json(dc_full) if lstm else None,
        "dc_forget_norm": tensor_json(dc_forget) if lstm else None,
        "dc_product_norm": tensor_json(dc_prod) if lstm else None,
        "w_hh_eigenvalues": eig,
        "w_hh_spectral_radius": radius,
        "w_hh_sigma_max": norm2(Wh),
        "grad_wx": tensor_json(grad_wx),
        "grad_wh": tensor_json(grad_wh),
        "grad_b": tensor_json(grad_b),
        "per_lag_grad_wh_norm": tensor_json(lag_h),
        "per_lag_grad_wx_norm": tensor_json(lag_x),
    }


def main():
    torch.set_num_threads(1)
    torch.set_default_dtype(F64)
    os.makedirs(OUT_DIR, exist_ok=True)
    names = []
    for c in CASES:
        case = make_case(c)
        fname = c["name"] + ".json"
        write(os.path.join(OUT_DIR, fname), case)
        names.append(fname)
        print(f"wrote {fname}: loss={case['loss_value']!r}, "
              f"{os.path.getsize(os.path.join(OUT_DIR, fname))} bytes")
    write(os.path.join(OUT_DIR, "index.json"), names)
    total = sum(os.path.getsize(os.path.join(OUT_DIR, f)) for f in names + ["index.json"])
    print(f"wrote index.json ({len(names)} cases) to {OUT_DIR}; {total} bytes in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
