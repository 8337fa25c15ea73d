"""Reads and writes the safetensors format without the `safetensors` package.

Layout: 8-byte little-endian header length, a JSON header (tensor name ->
{dtype, shape, data_offsets}, optional "__metadata__"), then the raw
little-endian tensor bytes.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import torch

_DTYPES = {
    "F64": np.float64, "F32": np.float32, "F16": np.float16,
    "I64": np.int64, "I32": np.int32, "I16": np.int16, "I8": np.int8,
    "U8": np.uint8, "BOOL": np.bool_,
}
_NAMES = {np.dtype(v): k for k, v in _DTYPES.items()}


def read_safetensors(path: str | Path) -> dict[str, torch.Tensor]:
    """Returns every tensor of the file, in file order, as CPU torch tensors."""
    data = Path(path).read_bytes()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    body = memoryview(data)[8 + header_len :]
    tensors: dict[str, torch.Tensor] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = info["dtype"]
        start, end = info["data_offsets"]
        if dtype == "BF16":
            # numpy has no bfloat16: widen the 16 high bits to float32 (exact), then narrow.
            raw = np.frombuffer(body[start:end], dtype="<u2").astype(np.uint32) << 16
            tensors[name] = torch.from_numpy(raw.view(np.float32).reshape(info["shape"]).copy()).to(torch.bfloat16)
            continue
        if dtype not in _DTYPES:
            raise ValueError(f"{path}: tensor {name!r} has unsupported dtype {dtype}")
        array = np.frombuffer(body[start:end], dtype=_DTYPES[dtype]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def write_safetensors(path: str | Path, tensors: dict[str, torch.Tensor]) -> None:
    """Writes tensors in the given order; deterministic bytes for equal inputs."""
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    chunks: list[bytes] = []
    offset = 0
    for name, tensor in tensors.items():
        array = np.ascontiguousarray(tensor.detach().cpu().numpy())
        raw = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {
            "dtype": _NAMES[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        chunks.append(raw)
        offset += len(raw)
    header_bytes = json.dumps(header, separators=(",", ":")).encode()
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for raw in chunks:
            f.write(raw)


def load_state_dict_strict(
    module: torch.nn.Module,
    tensors: dict[str, torch.Tensor],
    aliases: dict[str, str] | None = None,
    optional: set[str] | None = None,
) -> None:
    """Loads `tensors` into `module`, failing loudly on any missing, unexpected or
    mis-shaped name. `aliases` maps a module key to the file key that holds it (tied
    weights); `optional` lists file keys that may be present and are then ignored."""
    aliases = aliases or {}
    optional = optional or set()
    expected = module.state_dict()
    source = {k: v for k, v in tensors.items() if k not in optional}
    missing, mismatched, used = [], [], set()
    result: dict[str, torch.Tensor] = {}
    for key, param in expected.items():
        file_key = key if key in source else aliases.get(key, key)
        if file_key not in source:
            missing.append(key)
            continue
        used.add(file_key)
        if tuple(source[file_key].shape) != tuple(param.shape):
            mismatched.append(f"{key}: file {tuple(source[file_key].shape)} != model {tuple(param.shape)}")
            continue
        result[key] = source[file_key].to(param.dtype)
    unexpected = sorted(set(source) - used)
    problems = []
    if missing:
        problems.append(f"missing: {missing}")
    if unexpected:
        problems.append(f"unexpected: {unexpected}")
    if mismatched:
        problems.append(f"shape mismatch: {mismatched}")
    if problems:
        raise ValueError("checkpoint does not match the model; " + "; ".join(problems))
    module.load_state_dict(result, strict=True)
