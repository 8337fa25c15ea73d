"""The self-check a loaded model runs (docs/model-folder.md, "probe"): a few short inputs,
what the fp32 graph computes for them, and per variant how far it may be from that.

  /usr/bin/python3 tools/common/probe.py MODEL_DIR [MODEL_DIR ...]

adds (or replaces) the `probe` section of each folder's manifest.json, keeping every other
key and every file as it is. The exporters (tools/pairrm/export.py, tools/fuser/export.py)
call `add_probe` after writing the manifest, so real checkpoints get one too.

Everything is computed from the folder's own fp32 graph on onnxruntime-node's CPU provider
(the reference), never from PyTorch: a folder whose weights cannot be re-exported still
gets expectations that come from its fp32 graph.

- ranker (onnx/model.onnx): `rows` (unpadded ids shaped like real pairs: three
  [CLS] marker ... [SEP] segments of 1..12 ordinary ids, seeded) and the fp32 `logits`, one
  per row, each row run alone.
- fuser (onnx/encoder_model.onnx + decoder_model_merged.onnx): `prompts` (ordinary ids then
  eos), the fp32 `greedy` ids (start token first, at most `max_new_tokens` new ones), and
  the first decoder step's `first_step` logits at the fp32 top TOP_K ids of each prompt.

Per variant present: `deviation` (measured now: max |variant - fp32| over the probe's
logits; the fuser also counts `token_mismatches`, greedy positions that differ) and
`tolerance` = max(MARGIN x deviation, ABS_FLOOR + REL_FLOOR x max |fp32 logit|): another
backend (WebGPU, WASM) computes the same graph in a different order and precision, so the
floor leaves room for that, and the margin for inputs other than the probe's.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

# tools/common's modules import each other as `common.*`, whoever imports this one.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.manifest import MANIFEST_NAME, write_manifest  # noqa: E402
from common.ort_runner import run_onnx  # noqa: E402

HERE = Path(__file__).resolve().parent
VARIANT_SUFFIXES = {"fp32": "", "fp16": "_fp16", "q8": "_quantized", "q4": "_q4"}
MARGIN = 3.0
ABS_FLOOR = 2e-3
REL_FLOOR = 2e-3
RANKER_ROWS = 4
FUSER_PROMPTS = 3
FUSER_MAX_NEW_TOKENS = 8
TOP_K = 8
SEED = 18


def _round_up(value: float) -> float:
    """Up to 3 significant digits, never below the value."""
    if value <= 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(value)) - 2)
    return float(f"{math.ceil(value / scale) * scale:.3g}")


def tolerance(deviation: float, reference_scale: float) -> float:
    return _round_up(max(MARGIN * deviation, ABS_FLOOR + REL_FLOOR * reference_scale))


def _f32(values) -> list[float]:
    """float32 values as JSON numbers that read back to the same float32."""
    return [float(np.float32(v)) for v in np.asarray(values, dtype=np.float32).reshape(-1)]


def _variants(onnx_dir: Path, stem: str) -> list[str]:
    return [v for v, s in VARIANT_SUFFIXES.items() if (onnx_dir / f"{stem}{s}.onnx").exists()]


# ---- ranker ---------------------------------------------------------------------------------

def ranker_rows(config: dict, count: int = RANKER_ROWS, seed: int = SEED) -> list[list[int]]:
    """Short rows in the real-pair layout with random ordinary ids (never a special or
    marker id: specials are below 4, the added tokens sit in one block around the markers)."""
    rng = np.random.default_rng(seed)
    keys = ("source_prefix_id", "cand1_prefix_id", "cand2_prefix_id")
    markers = [config[k] for k in keys]
    low, high = min(markers) - 1, max(markers) + 1
    ordinary = np.array([i for i in range(4, config["vocab_size"]) if i < low or i > high])
    rows = []
    for _ in range(count):
        row: list[int] = []
        for key, n in zip(keys, rng.integers(1, 13, size=3)):
            row += [config["cls_token_id"], config[key], *rng.choice(ordinary, size=int(n)).tolist(), config["sep_token_id"]]
        rows.append(row)
    return rows


def _ranker_logits(graph: Path, rows: list[list[int]]) -> np.ndarray:
    out = []
    for row in rows:  # one row per run: no padding, as the runtime's probe runs them
        ids = np.asarray([row], dtype=np.int64)
        out.append(run_onnx(graph, {"input_ids": ids, "attention_mask": np.ones_like(ids)})["logits"].reshape(-1))
    return np.concatenate(out).astype(np.float32)


def ranker_probe(model_dir: Path) -> dict:
    model_dir = Path(model_dir)
    config = json.loads((model_dir / "config.json").read_text())
    onnx_dir = model_dir / "onnx"
    rows = ranker_rows(config)
    reference = _ranker_logits(onnx_dir / "model.onnx", rows)
    if not np.all(np.isfinite(reference)):
        raise SystemExit(f"{model_dir}: the fp32 graph gives non-finite logits on the probe rows")
    scale = float(np.abs(reference).max())
    deviation: dict[str, dict] = {}
    tolerances: dict[str, dict] = {}
    for variant in _variants(onnx_dir, "model"):
        got = reference if variant == "fp32" else _ranker_logits(onnx_dir / f"model{VARIANT_SUFFIXES[variant]}.onnx", rows)
        worst = float(np.abs(got - reference).max())
        deviation[variant] = {"logit": float(f"{worst:.3g}")}
        tolerances[variant] = {"logit": tolerance(worst, scale)}
    return {
        "kind": "ranker",
        "reference": "onnx/model.onnx (fp32) on onnxruntime-node, each row run alone",
        "rows": rows,
        "logits": _f32(reference),
        "deviation": deviation,
        "tolerance": tolerances,
        "rule": f"tolerance = max({MARGIN:g} x deviation, {ABS_FLOOR:g} + {REL_FLOOR:g} x max |fp32 logit|)",
    }


# ---- fuser ----------------------------------------------------------------------------------

def fuser_prompts(model_dir: Path, count: int = FUSER_PROMPTS, seed: int = SEED) -> list[list[int]]:
    """Prompts of 4..16 ordinary ids then eos: never pad, eos, unk or an added token."""
    config = json.loads((model_dir / "config.json").read_text())
    specials = {config["pad_token_id"], config["eos_token_id"], config.get("decoder_start_token_id", 0), 2}
    tokenizer = model_dir / "tokenizer.json"
    if tokenizer.exists():
        specials |= {t["id"] for t in json.loads(tokenizer.read_text()).get("added_tokens", [])}
    ordinary = np.array([i for i in range(config["vocab_size"]) if i not in specials])
    rng = np.random.default_rng(seed)
    return [rng.choice(ordinary, size=int(n)).tolist() + [config["eos_token_id"]] for n in rng.integers(4, 17, size=count)]


def _fuser_run(model_dir: Path, variant: str, prompts: list[list[int]]) -> tuple[list[list[int]], np.ndarray]:
    with tempfile.TemporaryDirectory(prefix="probe_fuser_") as tmp:
        prompts_path, out_path = Path(tmp) / "prompts.json", Path(tmp) / "out.json"
        prompts_path.write_text(json.dumps(prompts))
        subprocess.run(
            ["node", str(HERE / "probe_fuser.mjs"), "--folder", str(model_dir.resolve()), "--suffix", VARIANT_SUFFIXES[variant],
             "--prompts", str(prompts_path), "--max-new-tokens", str(FUSER_MAX_NEW_TOKENS), "--out", str(out_path)],
            check=True, cwd=HERE.parents[1],
        )
        result = json.loads(out_path.read_text())
    return result["greedy"], np.asarray(result["firstLogits"], dtype=np.float32)


def _token_mismatches(reference: list[list[int]], other: list[list[int]]) -> int:
    """Positions of fp32's generated ids where the variant has another id (or none)."""
    return sum(int(i >= len(got) or got[i] != ref[i]) for ref, got in zip(reference, other) for i in range(1, len(ref)))


def fuser_probe(model_dir: Path) -> dict:
    model_dir = Path(model_dir)
    onnx_dir = model_dir / "onnx"
    prompts = fuser_prompts(model_dir)
    greedy, logits = _fuser_run(model_dir, "fp32", prompts)
    if not np.all(np.isfinite(logits)):
        raise SystemExit(f"{model_dir}: the fp32 graphs give non-finite logits on the probe prompts")
    top = np.argsort(-logits, axis=1, kind="stable")[:, :TOP_K]
    reference = np.take_along_axis(logits, top, axis=1)
    scale = float(np.abs(reference).max())
    positions = sum(len(g) - 1 for g in greedy)
    deviation: dict[str, dict] = {}
    tolerances: dict[str, dict] = {}
    variants = [v for v in _variants(onnx_dir, "encoder_model") if (onnx_dir / f"decoder_model_merged{VARIANT_SUFFIXES[v]}.onnx").exists()]
    for variant in variants:
        got_greedy, got_logits = (greedy, logits) if variant == "fp32" else _fuser_run(model_dir, variant, prompts)
        worst = float(np.abs(np.take_along_axis(got_logits, top, axis=1) - reference).max())
        mismatches = _token_mismatches(greedy, got_greedy)
        deviation[variant] = {"logit": float(f"{worst:.3g}"), "token_mismatches": mismatches}
        # Greedy ids flip where two logits nearly tie; a quarter of the positions more than
        # measured leaves room for that on another backend, the logits catch real errors.
        tolerances[variant] = {"logit": tolerance(worst, scale), "token_mismatches": min(positions, mismatches + max(1, math.ceil(positions / 4)))}
    return {
        "kind": "fuser",
        "reference": "onnx/encoder_model.onnx + decoder_model_merged.onnx (fp32) on onnxruntime-node, each prompt alone",
        "prompts": prompts,
        "max_new_tokens": FUSER_MAX_NEW_TOKENS,
        "greedy": greedy,
        "first_step": {"ids": top.tolist(), "logits": [_f32(row) for row in reference]},
        "deviation": deviation,
        "tolerance": tolerances,
        "rule": f"logit tolerance = max({MARGIN:g} x deviation, {ABS_FLOOR:g} + {REL_FLOOR:g} x max |fp32 logit|) over the first step's top {TOP_K} ids",
    }


# ---- manifest -------------------------------------------------------------------------------

def model_probe(model_dir: Path) -> dict:
    onnx_dir = Path(model_dir) / "onnx"
    if (onnx_dir / "model.onnx").exists():
        return ranker_probe(model_dir)
    if (onnx_dir / "encoder_model.onnx").exists():
        return fuser_probe(model_dir)
    raise SystemExit(f"{model_dir}: neither onnx/model.onnx (ranker) nor onnx/encoder_model.onnx (fuser)")


def add_probe(model_dir: Path) -> Path:
    """Rewrites model_dir/manifest.json with a fresh `probe`; every other key is kept."""
    model_dir = Path(model_dir)
    manifest = json.loads((model_dir / MANIFEST_NAME).read_text())
    extra = {k: v for k, v in manifest.items() if k not in ("files", "probe")}
    extra["probe"] = model_probe(model_dir)
    return write_manifest(model_dir, extra)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: probe.py MODEL_DIR [MODEL_DIR ...]")
    for folder in sys.argv[1:]:
        path = add_probe(Path(folder))
        print(f"{path}: {json.dumps(json.loads(path.read_text())['probe']['tolerance'])}")
