#!/usr/bin/python3
"""Writes the safetensors dtype fixture for SafeTensorsDtypeTest.

Run with Debian's /usr/bin/python3 (torch installed; the `safetensors` package is not, so the
file is laid out by hand per the format: 8-byte little-endian u64 header length N, N bytes of
UTF-8 JSON padded with spaces, then the little-endian tensor bytes, offsets relative to the
data start, covering it exactly).

Outputs (in src/test/resources/fixtures/safetensors/):
  dtypes.safetensors  F32, F16, BF16, F64 tensors (subnormals, +-0, extremes, values that round
                      on the way to the stored dtype or to float32) and one I32 tensor;
  dtypes.json         for each tensor its dtype and shape and, for the float dtypes, the float32
                      values torch gets with .to(torch.float32), as hex of the float32 bits, so
                      the Java side compares bitwise (I32: "float32_bits": null).

Usage: /usr/bin/python3 src/test/python/make_safetensors_fixture.py   (from rnn-lstm/)
"""
import json
import math
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "safetensors")

ST_DTYPE = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
            torch.float64: "F64", torch.int32: "I32"}


def raw_bytes(t):
    """Little-endian bytes of a contiguous tensor (bf16 through its int16 view: numpy has no bf16)."""
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def from_bits16(bits, dtype):
    """A 16-bit float tensor with the given raw bit patterns."""
    b = torch.tensor([x - 65536 if x >= 32768 else x for x in bits], dtype=torch.int16)
    return b.view(dtype)


def finite16(bits, dtype):
    exp_mask = 0x7C00 if dtype == torch.float16 else 0x7F80
    return [x for x in bits if (x & exp_mask) != exp_mask]


def tensors():
    t = {}
    # F32: stored as is (subnormals, -0, extremes)
    t["f32"] = torch.tensor([0.0, -0.0, 1.0, -1.5, 3.4028234663852886e38, -3.4028234663852886e38,
                             1.1754943508222875e-38, 1.401298464324817e-45, -2.5e-42, 0.1, 1.0 / 3.0,
                             123456.789, -7.0e-20], dtype=torch.float32)
    # F16 from doubles (torch rounds them to half on the way in): ±0, max 65504, min normal,
    # subnormals, values that round, values that flush to zero in half
    t["f16"] = torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, -65504.0, 6.103515625e-05,
                             5.960464477539063e-08, -3.0e-6, 0.1, 1.0 / 3.0, 2049.0, 1e-8,
                             math.pi, -1234.5678], dtype=torch.float64).to(torch.float16)
    # F16 2-D, to check the row-major order
    t["f16_2d"] = torch.tensor([[1.0, 2.0, 3.0], [-4.0, 0.5, 1e-5]], dtype=torch.float16)
    # every 37th F16 bit pattern that is finite (both signs, subnormals, normals)
    t["f16_sweep"] = from_bits16(finite16(range(0, 65536, 37), torch.float16), torch.float16)
    # BF16: ±0, max, min normal, subnormals, values that round
    t["bf16"] = torch.tensor([0.0, -0.0, 1.0, -2.5, 3.3895313892515355e38, -3.3895313892515355e38,
                              1.1754943508222875e-38, 9.183549615799121e-41, -1.0e-39, 0.1, 1.0 / 3.0,
                              257.0, 1e20, -math.e], dtype=torch.float64).to(torch.bfloat16)
    t["bf16_sweep"] = from_bits16(finite16(range(0, 65536, 37), torch.bfloat16), torch.bfloat16)
    # F64: rounded to float32 on reading: ties to even, subnormal float results, underflow to 0,
    # just inside the float range
    t["f64"] = torch.tensor([
        0.0, -0.0, 1.0, 0.1, 1.0 / 3.0, math.pi, -1e30, 1e-40, -1e-45,
        1.0 + 2.0 ** -24,                   # tie -> even (1.0)
        1.0 + 3 * 2.0 ** -24,               # tie -> even (up)
        1.0 + 2.0 ** -24 + 2.0 ** -50,      # just above the tie -> up
        2.0 ** -150,                        # tie between 0 and the smallest subnormal -> 0
        1.5 * 2.0 ** -149,                  # tie between 1 and 2 ulp subnormals -> 2
        2.0 ** -150 * 1.0000001,            # just above the tie -> smallest subnormal
        1e-300, -1e-300,                    # underflow to ±0
        3.4028235e38, -3.4028235e38,        # round down to ±FLT_MAX
        16777217.0, 123456789.123456789,
    ], dtype=torch.float64)
    t["i32"] = torch.tensor([1, -2, 3, 2147483647, -2147483648], dtype=torch.int32)
    return t


def main():
    t = tensors()
    header = {"__metadata__": {"format": "pt", "made_by": "make_safetensors_fixture.py",
                               "torch": torch.__version__}}
    data = b""
    expected = {}
    for name, x in t.items():
        b = raw_bytes(x)
        header[name] = {"dtype": ST_DTYPE[x.dtype], "shape": list(x.shape),
                        "data_offsets": [len(data), len(data) + len(b)]}
        data += b
        if x.dtype == torch.int32:
            bits = None
        else:
            f = x.to(torch.float32).contiguous().reshape(-1)
            bits = ["0x%08x" % (v & 0xFFFFFFFF) for v in f.view(torch.int32).tolist()]
        expected[name] = {"dtype": ST_DTYPE[x.dtype], "shape": list(x.shape), "float32_bits": bits}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((-len(h)) % 8)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "dtypes.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)
    with open(os.path.join(OUT, "dtypes.json"), "w") as f:
        # one line per tensor
        f.write('{"source": %s,\n "tensors": {\n' % json.dumps(
            "src/test/python/make_safetensors_fixture.py, torch " + torch.__version__))
        f.write(",\n".join("  %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in expected.items()))
        f.write("\n }\n}\n")
    print("wrote", {k: tuple(v.shape) for k, v in t.items()})


if __name__ == "__main__":
    main()
