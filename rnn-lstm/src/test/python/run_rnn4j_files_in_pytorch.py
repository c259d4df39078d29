#!/usr/bin/python3
"""Runs model files WRITTEN BY rnn4j (ModelFiles.savePyTorch) in PyTorch: the round trip
rnn4j -> file -> PyTorch -> outputs.

Input (in src/test/resources/fixtures/rnn4j_to_pytorch/): <name>.safetensors for every name in
index.json, written by PyTorchRoundTripTest with -Drnn4j.writeFixtures=true (the test checks on
every run that rnn4j still writes these files byte for byte).  Each file says in its metadata
what it holds: rnn4j.cell (RNN | LSTM | GRU), rnn4j.activation (TANH | RELU), rnn4j.input_size,
rnn4j.hidden_size, rnn4j.output_size, rnn4j.layers, rnn4j.bidirectional (true | false), and
rnn4j.layout = "pytorch:<rnn>,<head>" with the two name prefixes.

For each file this script builds nn.RNN / nn.LSTM / nn.GRU (batch_first=False, bidirectional as
the file says) and nn.Linear, loads the
file's tensors with load_state_dict(strict=True) (so every name and shape must be PyTorch's and
nothing may be missing or extra), runs it on float32 inputs drawn with torch.manual_seed(7) and
writes <name>.json: inputs (T, B, D), logits (T, B, O) = the Linear layer at every step, h_n and
c_n (L·directions, B, H), as flat lists of float32 values with 9 significant digits.  PyTorchRoundTripTest
compares rnn4j's outputs on the same inputs with these.

The safetensors reader is this script's own (the `safetensors` package is not in Debian); it
checks the header length, that offsets cover the data exactly, and the dtypes.

Usage (from rnn-lstm/):
  ../mvn25 -B -o test -Dtest=PyTorchRoundTripTest -Drnn4j.writeFixtures=true   # rnn4j writes
  /usr/bin/python3 src/test/python/run_rnn4j_files_in_pytorch.py              # PyTorch reads, runs
"""
import json
import os
import struct

import torch
import torch.nn as nn

DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "rnn4j_to_pytorch")
T, B = 6, 3


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    assert 8 + n <= len(raw), "header beyond the file"
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__")
    data = raw[8 + n:]
    out, end = {}, 0
    for k, e in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        a, b = e["data_offsets"]
        assert a == end, "gap or overlap at " + k
        assert e["dtype"] == "F32", k + " is " + e["dtype"]
        end = b
        out[k] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(e["shape"])
    assert end == len(data), "data not covered exactly"
    return meta, out


def f32(v):
    s = "%.9g" % v
    assert float(torch.tensor(float(s), dtype=torch.float32)) == float(torch.tensor(v, dtype=torch.float32))
    return s


def f32_list(t):
    return "[" + ",".join(f32(v) for v in t.to(torch.float32).reshape(-1).tolist()) + "]"


class Model(nn.Module):
    """The rnn4j file's modules under its own prefixes, e.g. "rnn." and "fc." or "encoder.lstm." and "head."."""

    def __init__(self, meta):
        super().__init__()
        cell = meta["rnn4j.cell"]
        d, h = int(meta["rnn4j.input_size"]), int(meta["rnn4j.hidden_size"])
        o, layers = int(meta["rnn4j.output_size"]), int(meta["rnn4j.layers"])
        bi = meta.get("rnn4j.bidirectional", "false") == "true"
        if cell == "RNN":
            rnn = nn.RNN(d, h, layers, nonlinearity=meta["rnn4j.activation"].lower(), batch_first=False,
                         bidirectional=bi)
        elif cell == "LSTM":
            rnn = nn.LSTM(d, h, layers, batch_first=False, bidirectional=bi)
        elif cell == "GRU":
            rnn = nn.GRU(d, h, layers, batch_first=False, bidirectional=bi)
        else:
            raise ValueError("PyTorch has no " + cell)
        layout = meta["rnn4j.layout"]
        assert layout.startswith("pytorch:"), layout
        self.rnn_prefix, self.head_prefix = layout[len("pytorch:"):].split(",")
        self.holder = nn.Module()
        self._place(self.rnn_prefix, rnn)
        self._place(self.head_prefix, nn.Linear(2 * h if bi else h, o))
        self.rnn, self.fc = rnn, self._find(self.head_prefix)

    def _place(self, prefix, module):
        parts = prefix.rstrip(".").split(".")
        node = self.holder
        for p in parts[:-1]:
            if not hasattr(node, p):
                node.add_module(p, nn.Module())
            node = getattr(node, p)
        node.add_module(parts[-1], module)

    def _find(self, prefix):
        node = self.holder
        for p in prefix.rstrip(".").split("."):
            node = getattr(node, p)
        return node

    def forward(self, x):
        y, state = self.rnn(x)
        return self.fc(y), state


def run(name):
    meta, tensors = read_safetensors(os.path.join(DIR, name + ".safetensors"))
    model = Model(meta)
    model.holder.load_state_dict(tensors, strict=True)
    d = int(meta["rnn4j.input_size"])
    torch.manual_seed(7)
    x = torch.randn(T, B, d, dtype=torch.float32)
    with torch.no_grad():
        logits, state = model(x)
    lstm = meta["rnn4j.cell"] == "LSTM"
    h_n, c_n = state if lstm else (state, None)
    fields = [
        ("source", json.dumps("src/test/python/run_rnn4j_files_in_pytorch.py, torch " + torch.__version__)),
        ("file", json.dumps(name + ".safetensors")), ("steps", str(T)), ("batch", str(B)),
        ("inputs", f32_list(x)), ("logits", f32_list(logits)), ("h_n", f32_list(h_n)),
    ]
    if lstm:
        fields.append(("c_n", f32_list(c_n)))
    with open(os.path.join(DIR, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
        f.write("{\n" + ",\n".join(" %s: %s" % (json.dumps(k), v) for k, v in fields) + "\n}\n")
    print(name, "ran in PyTorch:", sorted(tensors))


def main():
    torch.set_num_threads(1)
    with open(os.path.join(DIR, "index.json"), encoding="utf-8") as f:
        names = json.load(f)
    for name in names:
        run(name)


if __name__ == "__main__":
    main()
