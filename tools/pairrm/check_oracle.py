"""Checks tools/pairrm/model.py against the oracle (HF's own DeBERTa-v2 code on a tiny
PairRM): logits, left/right, hidden states at markers, full last hidden states and
per-layer states where recorded, padded batches and the long rows (log buckets).

With --onnx MODEL.onnx it checks an exported graph instead (run on onnxruntime-node):
logits and hidden states at markers.

The oracle is committed: the checkpoint (config.json, model.safetensors) in
test/fixtures/oracle-checkpoints/deberta and its expected outputs in
test/fixtures/oracle-pairrm/oracle-cases.json (see test/fixtures/oracle-checkpoints/README.md).
A folder given on the command line is read for its checkpoint, and for its cases.json
when it has one.

usage: /usr/bin/python3 tools/pairrm/check_oracle.py [oracle-folder] [--onnx MODEL.onnx]
(exit 1 on mismatch)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tools.common.ort_runner import run_onnx  # noqa: E402
from tools.pairrm.model import load_pairrm  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ORACLE = ROOT / "test" / "fixtures" / "oracle-checkpoints" / "deberta"
DEFAULT_CASES = ROOT / "test" / "fixtures" / "oracle-pairrm" / "oracle-cases.json"
ATOL = 1e-4


def max_diff(got: torch.Tensor, want: object) -> float:
    return float((got - torch.tensor(want, dtype=torch.float32)).abs().max())


def check_case(model, case: dict) -> list[tuple[str, float]]:
    ids = torch.tensor(case["input_ids"], dtype=torch.long)
    mask = torch.tensor(case["attention_mask"], dtype=torch.long)
    with torch.no_grad():
        out = model(ids, mask)
    diffs: list[tuple[str, float]] = []
    for b, row in enumerate(case["rows"]):
        n = row["length"]
        positions = model.marker_positions(ids)[b].tolist()
        want_positions = [row["marker_positions"][k] for k in ("source", "cand1", "cand2")]
        if positions != want_positions:
            diffs.append((f"row {b} marker positions {positions} != {want_positions}", float("inf")))
        diffs.append((f"row {b} logit", max_diff(out.logits[b], row["logit"])))
        diffs.append((f"row {b} left", max_diff(out.left[b], row["left"])))
        diffs.append((f"row {b} right", max_diff(out.right[b], row["right"])))
        for k, name in enumerate(("source", "cand1", "cand2")):
            diffs.append((f"row {b} hidden at {name}", max_diff(out.marker_hidden[b, k], row["hidden_at_markers"][name])))
        if "last_hidden_state" in row:
            diffs.append((f"row {b} last_hidden_state", max_diff(out.hidden_states[-1][b, :n], row["last_hidden_state"])))
        for layer, want in enumerate(row.get("hidden_states_per_layer", [])):
            diffs.append((f"row {b} hidden_states[{layer}]", max_diff(out.hidden_states[layer][b, :n], want)))
    return diffs


def check_onnx_case(onnx_path: Path, case: dict) -> list[tuple[str, float]]:
    feeds = {
        "input_ids": np.array(case["input_ids"], dtype=np.int64),
        "attention_mask": np.array(case["attention_mask"], dtype=np.int64),
    }
    out = run_onnx(onnx_path, feeds)
    logits = torch.from_numpy(out["logits"])
    hidden = torch.from_numpy(out["marker_hidden_states"])
    diffs: list[tuple[str, float]] = []
    for b, row in enumerate(case["rows"]):
        diffs.append((f"row {b} logit", max_diff(logits[b], row["logit"])))
        for k, name in enumerate(("source", "cand1", "cand2")):
            diffs.append((f"row {b} hidden at {name}", max_diff(hidden[b, k], row["hidden_at_markers"][name])))
    return diffs


def oracle_cases(folder: Path) -> Path | None:
    """The expected outputs for the checkpoint in `folder`: its own cases.json, or the
    committed cases when `folder` is the committed checkpoint; None for any other folder."""
    folder = Path(folder)
    if (folder / "cases.json").exists():
        return folder / "cases.json"
    if folder.resolve() == DEFAULT_ORACLE.resolve():
        return DEFAULT_CASES
    return None


def check_all(folder: Path, onnx_path: Path | None = None) -> bool:
    """Prints one line per oracle case; True when everything is within ATOL."""
    cases_path = oracle_cases(folder)
    if cases_path is None:
        raise SystemExit(f"no oracle cases for {folder}: expected {folder}/cases.json")
    cases = json.loads(cases_path.read_text())["cases"]
    if onnx_path is None:
        torch.set_num_threads(1)
        model = load_pairrm(folder)
    worst = 0.0
    failures = 0
    for case in cases:
        diffs = check_case(model, case) if onnx_path is None else check_onnx_case(onnx_path, case)
        case_worst = max(d for _, d in diffs)
        worst = max(worst, case_worst)
        bad = [(name, d) for name, d in diffs if not d <= ATOL]
        failures += len(bad)
        print(f"{case['name']:20s} max |diff| {case_worst:.2e} {'FAIL' if bad else 'ok'}")
        for name, d in bad:
            print(f"    {name}: {d:.3e}")
    what = "torch model" if onnx_path is None else str(onnx_path)
    print(f"{what}: worst {worst:.2e} (tolerance {ATOL:g}); {'FAILED' if failures else 'all match'}")
    return failures == 0


def main() -> int:
    args = sys.argv[1:]
    onnx_path = None
    if "--onnx" in args:
        at = args.index("--onnx")
        onnx_path = Path(args[at + 1])
        del args[at : at + 2]
    folder = Path(args[0]) if args else DEFAULT_ORACLE
    return 0 if check_all(folder, onnx_path) else 1


if __name__ == "__main__":
    sys.exit(main())
