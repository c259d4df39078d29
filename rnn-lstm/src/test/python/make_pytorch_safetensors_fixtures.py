#!/usr/bin/python3
"""Writes PyTorch state_dict safetensors fixtures (RNN/LSTM/GRU + Linear head) with reference outputs.

Run with Debian's /usr/bin/python3 (torch installed; the `safetensors` package is not, so the
file is laid out by hand as in make_safetensors_fixture.py: 8-byte little-endian u64 header
length N, N bytes of UTF-8 JSON padded with spaces to a multiple of 8, then the little-endian
tensor bytes, offsets relative to the data start, covering it exactly; bf16 through its int16
view).

Each case is a model `nn.RNN`/`nn.LSTM`/`nn.GRU` (batch_first=False) followed by `nn.Linear(hidden,
outputs)`, built after torch.manual_seed(seed) at PyTorch's default init, except that every bias
(bias_ih_l{k}, bias_hh_l{k}, fc.bias) is redrawn as random non-zero values (sign * U(0.05, 0.5))
so the bias handling is tested.  Its state_dict is written under PyTorch's own names:
  rnn.weight_ih_l{k}, rnn.weight_hh_l{k}, rnn.bias_ih_l{k}, rnn.bias_hh_l{k}, fc.weight, fc.bias
in the case's dtype (state_dict order).  For the GRU (gate row blocks r, z, n of G*H = 3H rows)
the n block of bias_hh_l{k} is b_hn, which sits inside the reset gate and cannot be merged with
bias_ih; being redrawn non-zero like every bias, it is exercised:
  r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr),  z = sigmoid(x W_iz^T + b_iz + h W_hz^T + b_hz),
  n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn)),  h' = (1 - z) * n + z * h.  The reference outputs are those of the STORED weights:
  F32, F16, BF16  the weights are rounded to the dtype and back to float32 (x.to(dtype).float()),
                  the model is run in float32 ("compute": "float32");
  F64             the float32 weights of the same seed are widened and scaled by (1 + u * 2^-23),
                  u ~ U(-1, 1) drawn in float64 after the inputs, so they are genuine doubles
                  that round on the way to float32 (239 of the 368 to a neighbour of the
                  lstm_1layer_f32 weight, the others back to it); the model
                  is run in float64 and the outputs rounded to float32 ("compute": "float64").
                  lstm_1layer_f16/_bf16/_f64 share lstm_1layer_f32's seed: same inputs, and
                  weights that differ only by the rounding/perturbation; likewise
                  gru_1layer_bf16 shares gru_1layer_f32's seed.
Inputs are drawn in float32 (randn), so a float32 model reads exactly the numbers used.

Outputs (in src/test/resources/fixtures/pytorch_safetensors/):
  <name>.safetensors  the state_dict, dtype F32 / F16 / BF16 / F64;
  <name>.json         cell ("RNN" | "LSTM" | "GRU"), nonlinearity ("tanh" | "relu" | null), layers,
                      input_size D, hidden_size H, output_size O, dtype, compute, steps T,
                      batch B, and as flat time-major / layer-major lists:
                        inputs  (T, B, D)   the float32 inputs,
                        logits  (T, B, O)   the fc output at every step,
                        h_n     (L, B, H)   the final hidden state of every layer,
                        c_n     (L, B, H)   the final cell state (LSTM only);
                      every float is a float32 value written as decimal with 9 significant
                      digits (round-trips to the same float32);
  index.json          the list of case names.

The script then reads every .safetensors back, checks the tensors bitwise against what it meant
to write, and reruns the forward pass by hand in float64 from the stored values, requiring
agreement with the JSON to 1e-5.  One thread and fixed seeds: running it twice gives
byte-identical files.

Usage: /usr/bin/python3 src/test/python/make_pytorch_safetensors_fixtures.py   (from rnn-lstm/)
"""
import json
import os
import struct

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures",
                   "pytorch_safetensors")

ST_DTYPE = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64"}
FROM_ST = {v: k for k, v in ST_DTYPE.items()}

# name, cell, nonlinearity, D, H, O, layers, T, B, dtype, seed
CASES = [
    ("rnn_tanh_1layer_f32", "RNN", "tanh", 3, 7, 2, 1, 5, 2, torch.float32, 101),
    ("rnn_relu_2layer_f32", "RNN", "relu", 4, 5, 3, 2, 6, 3, torch.float32, 102),
    ("lstm_1layer_f32", "LSTM", None, 3, 7, 4, 1, 5, 2, torch.float32, 103),
    ("lstm_2layer_f32", "LSTM", None, 5, 13, 3, 2, 7, 2, torch.float32, 104),
    # same seed as lstm_1layer_f32: the same float32 weights, rounded to the stored dtype
    ("lstm_1layer_f16", "LSTM", None, 3, 7, 4, 1, 5, 2, torch.float16, 103),
    ("lstm_1layer_bf16", "LSTM", None, 3, 7, 4, 1, 5, 2, torch.bfloat16, 103),
    ("lstm_1layer_f64", "LSTM", None, 3, 7, 4, 1, 5, 2, torch.float64, 103),
    ("gru_1layer_f32", "GRU", None, 3, 7, 4, 1, 5, 2, torch.float32, 105),
    ("gru_2layer_f32", "GRU", None, 5, 13, 3, 2, 7, 2, torch.float32, 106),
    # same seed as gru_1layer_f32: the same float32 weights, rounded to bf16
    ("gru_1layer_bf16", "GRU", None, 3, 7, 4, 1, 5, 2, torch.bfloat16, 105),
]


def raw_bytes(t):
    """Little-endian bytes of a contiguous tensor (bf16 through its int16 view: numpy has no bf16)."""
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def f32(v):
    """A float32 value as decimal with 9 significant digits (enough to round-trip)."""
    s = "%.9g" % v
    assert float(torch.tensor(float(s), dtype=torch.float32)) == float(torch.tensor(v, dtype=torch.float32))
    return s


def f32_list(t):
    return "[" + ",".join(f32(v) for v in t.to(torch.float32).reshape(-1).tolist()) + "]"


class Model(nn.Module):
    def __init__(self, cell, nonlinearity, d, h, o, layers, dtype):
        super().__init__()
        if cell == "RNN":
            self.rnn = nn.RNN(d, h, layers, nonlinearity=nonlinearity, batch_first=False, dtype=dtype)
        elif cell == "GRU":
            self.rnn = nn.GRU(d, h, layers, batch_first=False, dtype=dtype)
        else:
            self.rnn = nn.LSTM(d, h, layers, batch_first=False, dtype=dtype)
        self.fc = nn.Linear(h, o, dtype=dtype)

    def forward(self, x):
        y, state = self.rnn(x)
        return self.fc(y), state


def make_case(name, cell, nonlin, d, h, o, layers, T, B, dtype, seed):
    torch.manual_seed(seed)
    model = Model(cell, nonlin, d, h, o, layers, torch.float32)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if "bias" in pname:
                mag = torch.empty(p.shape).uniform_(0.05, 0.5)
                sign = torch.where(torch.rand(p.shape) < 0.5, -1.0, 1.0)
                p.copy_(sign * mag)
    x = torch.randn(T, B, d, dtype=torch.float32)
    build = torch.float64 if dtype == torch.float64 else torch.float32
    if build == torch.float64:
        model = model.double()
        with torch.no_grad():
            for p in model.parameters():
                u = torch.empty(p.shape, dtype=torch.float64).uniform_(-1.0, 1.0)
                p.mul_(1.0 + u * 2.0 ** -23)
    stored = {k: v.detach().to(dtype).contiguous() for k, v in model.state_dict().items()}
    assert all(bool((v != 0).all()) for k, v in stored.items() if "bias" in k)
    # run the model with the stored weights (rounded to dtype and back)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            p.copy_(stored[pname].to(build))
        logits, state = model(x.to(build))
    if cell == "LSTM":
        h_n, c_n = state
    else:
        h_n, c_n = state, None

    header = {"__metadata__": {"format": "pt", "made_by": "make_pytorch_safetensors_fixtures.py",
                               "torch": torch.__version__}}
    data = b""
    for k, v in stored.items():
        b = raw_bytes(v)
        header[k] = {"dtype": ST_DTYPE[dtype], "shape": list(v.shape),
                     "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((-len(hb)) % 8)
    with open(os.path.join(OUT, name + ".safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(hb)) + hb + data)

    fields = [
        ("source", json.dumps("src/test/python/make_pytorch_safetensors_fixtures.py, torch "
                              + torch.__version__)),
        ("cell", json.dumps(cell)), ("nonlinearity", json.dumps(nonlin)),
        ("layers", str(layers)), ("input_size", str(d)), ("hidden_size", str(h)),
        ("output_size", str(o)), ("dtype", json.dumps(ST_DTYPE[dtype])),
        ("compute", json.dumps("float64" if build == torch.float64 else "float32")),
        ("seed", str(seed)), ("T", str(T)), ("B", str(B)),
        ("inputs", f32_list(x)), ("logits", f32_list(logits)), ("h_n", f32_list(h_n)),
    ]
    if c_n is not None:
        fields.append(("c_n", f32_list(c_n)))
    with open(os.path.join(OUT, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
        f.write("{\n" + ",\n".join(" %s: %s" % (json.dumps(k), v) for k, v in fields) + "\n}\n")
    return stored


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    assert n % 8 == 0
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__")
    data = raw[8 + n:]
    out, end = {}, 0
    for k, e in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        a, b = e["data_offsets"]
        assert a == end, "gap or overlap at " + k
        end = b
        dt = FROM_ST[e["dtype"]]
        if dt == torch.bfloat16:
            t = torch.frombuffer(bytearray(data[a:b]), dtype=torch.int16).view(torch.bfloat16)
        else:
            t = torch.frombuffer(bytearray(data[a:b]), dtype=dt)
        out[k] = t.reshape(e["shape"])
    assert end == len(data), "data not covered exactly"
    return out


def check_case(name):
    """Forward pass by hand in float64 from the stored tensors against the JSON."""
    st = read_safetensors(os.path.join(OUT, name + ".safetensors"))
    with open(os.path.join(OUT, name + ".json"), encoding="utf-8") as f:
        c = json.load(f)
    T, B, D, H, O, L = c["T"], c["B"], c["input_size"], c["hidden_size"], c["output_size"], c["layers"]
    w = {k: v.to(torch.float64) for k, v in st.items()}
    x = torch.tensor(c["inputs"], dtype=torch.float64).reshape(T, B, D)
    hs, cs = [], []
    for l in range(L):
        Wx, Wh = w["rnn.weight_ih_l%d" % l], w["rnn.weight_hh_l%d" % l]
        bi, bh = w["rnn.bias_ih_l%d" % l], w["rnn.bias_hh_l%d" % l]
        b = bi + bh
        h = torch.zeros(B, H, dtype=torch.float64)
        cc = torch.zeros(B, H, dtype=torch.float64)
        ys = []
        for t in range(T):
            if c["cell"] == "GRU":
                W_ir, W_iz, W_in = Wx.split(H, dim=0)
                W_hr, W_hz, W_hn = Wh.split(H, dim=0)
                b_ir, b_iz, b_in = bi.split(H)
                b_hr, b_hz, b_hn = bh.split(H)
                r = torch.sigmoid(x[t] @ W_ir.T + b_ir + h @ W_hr.T + b_hr)
                z = torch.sigmoid(x[t] @ W_iz.T + b_iz + h @ W_hz.T + b_hz)
                n = torch.tanh(x[t] @ W_in.T + b_in + r * (h @ W_hn.T + b_hn))
                h = (1 - z) * n + z * h
                ys.append(h)
                continue
            a = x[t] @ Wx.T + h @ Wh.T + b
            if c["cell"] == "LSTM":
                i, fg, g, o = a.split(H, dim=1)
                cc = torch.sigmoid(fg) * cc + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(cc)
            else:
                h = torch.tanh(a) if c["nonlinearity"] == "tanh" else torch.relu(a)
            ys.append(h)
        x = torch.stack(ys)
        hs.append(h)
        cs.append(cc)
    logits = x @ w["fc.weight"].T + w["fc.bias"]

    def close(name_, got, want):
        want = torch.tensor(want, dtype=torch.float64)
        err = (got.reshape(-1) - want).abs().max().item()
        assert err <= 1e-5 * (1 + want.abs().max().item()), (name, name_, err)
        return err

    errs = [close("logits", logits, c["logits"]), close("h_n", torch.stack(hs), c["h_n"])]
    if c["cell"] == "LSTM":
        errs.append(close("c_n", torch.stack(cs), c["c_n"]))
    return max(errs)


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    names, written = [], {}
    for case in CASES:
        written[case[0]] = make_case(*case)
        names.append(case[0])
    with open(os.path.join(OUT, "index.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(names) + "\n")
    for case in CASES:
        name, dtype = case[0], case[9]
        # what was written is what was meant, bitwise, in state_dict order
        st = read_safetensors(os.path.join(OUT, name + ".safetensors"))
        assert list(st) == list(written[name]), name
        for k, v in written[name].items():
            assert st[k].dtype == dtype and st[k].shape == v.shape, (name, k)
            assert raw_bytes(st[k]) == raw_bytes(v), (name, k)
        err = check_case(name)
        print("wrote %-20s %5d + %6d bytes, check max |diff| %.2e" % (
            name, os.path.getsize(os.path.join(OUT, name + ".safetensors")),
            os.path.getsize(os.path.join(OUT, name + ".json")), err))


if __name__ == "__main__":
    main()
