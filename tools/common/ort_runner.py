"""Runs ONNX models from Python through onnxruntime-node / onnxruntime-web (WASM).

There is no Python onnxruntime package on these machines, so `run_onnx` writes the feeds
to a temporary JSON file and calls `node tools/common/onnx_check.mjs`, which prints every
output. Float32 values survive the JSON round trip exactly (shortest round-trip repr).
"""
from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
ONNX_CHECK = Path(__file__).resolve().with_name("onnx_check.mjs")

_NP_TO_ORT = {
    np.dtype(np.float32): "float32", np.dtype(np.float64): "float64",
    np.dtype(np.int8): "int8", np.dtype(np.uint8): "uint8",
    np.dtype(np.int16): "int16", np.dtype(np.uint16): "uint16",
    np.dtype(np.int32): "int32", np.dtype(np.uint32): "uint32",
    np.dtype(np.int64): "int64", np.dtype(np.uint64): "uint64",
    np.dtype(np.bool_): "bool",
}
_ORT_TO_NP = {v: k for k, v in _NP_TO_ORT.items()}


def feeds_to_json(feeds: dict[str, np.ndarray]) -> dict[str, dict]:
    """The feeds format of onnx_check.mjs: {name: {type, dims, data}}."""
    out: dict[str, dict] = {}
    for name, value in feeds.items():
        array = np.asarray(value)
        if array.dtype not in _NP_TO_ORT:
            raise TypeError(f"feed {name!r}: unsupported dtype {array.dtype}")
        out[name] = {
            "type": _NP_TO_ORT[array.dtype],
            "dims": list(array.shape),
            "data": array.reshape(-1).tolist(),
        }
    return out


def run_onnx(
    model_path: str | Path,
    feeds: dict[str, np.ndarray],
    backend: str = "node",
    timeout_s: float = 600,
) -> dict[str, np.ndarray]:
    """Runs the model on onnxruntime-node (`backend="node"`) or onnxruntime-web's WASM
    backend (`backend="wasm"`, 1 thread); returns every graph output as a numpy array."""
    raw = _run(model_path, feeds, backend, timeout_s, dims_only=False)
    return {
        name: np.asarray(t["data"], dtype=_ORT_TO_NP[t["type"]]).reshape(t["dims"])
        for name, t in raw.items()
    }


def output_dims(model_path: str | Path, feeds: dict[str, np.ndarray], backend: str = "node",
                timeout_s: float = 600) -> dict[str, list[int]]:
    """Every graph output's shape after one run (no data travels back)."""
    return {name: t["dims"] for name, t in _run(model_path, feeds, backend, timeout_s, dims_only=True).items()}


def _run(model_path: str | Path, feeds: dict[str, np.ndarray], backend: str, timeout_s: float,
         dims_only: bool) -> dict[str, dict]:
    with tempfile.TemporaryDirectory(prefix="ort_runner_") as tmp:
        feeds_path = Path(tmp) / "feeds.json"
        out_path = Path(tmp) / "out.json"
        feeds_path.write_text(json.dumps(feeds_to_json(feeds)))
        cmd = [
            "node", str(ONNX_CHECK), "--model", str(Path(model_path).resolve()),
            "--feeds", str(feeds_path), "--backend", backend, "--out", str(out_path),
            "--dims-only", "1" if dims_only else "0",
        ]
        proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout_s)
        if proc.returncode != 0:
            raise RuntimeError(f"onnx_check failed on {model_path} ({backend}):\n{proc.stderr}")
        return json.loads(out_path.read_text())
