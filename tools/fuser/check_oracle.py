"""Checks tools/fuser/model.py (and optionally an ONNX export of it) against the
oracle: outputs of Hugging Face's own T5 code on a tiny random-weight checkpoint. Both are
committed: the checkpoint (config.json, model.safetensors) in
test/fixtures/oracle-checkpoints/t5, the outputs in test/fixtures/oracle-t5/oracle-cases.json
(see test/fixtures/oracle-checkpoints/README.md).

  /usr/bin/python3 tools/fuser/check_oracle.py [--oracle DIR] [--cases FILE] [--onnx EXPORTED_DIR]

--cases defaults to DIR/cases.json when DIR has one, else to the committed outputs.

Torch: encoder states (atol 1e-4), teacher-forced logits (atol 1e-3 as the oracle
README suggests; we see ~1e-5), argmax ids and greedy ids (exact), and the bucket
lookup table against HF's bucket formula for every distance up to 4096.
--onnx: runs the exported encoder and merged decoder through onnxruntime-node
(tools/common/ort_runner.py): encoder states and, feeding the decoder one token at a
time through its past inputs, every teacher-forced logit (atol 1e-4).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import greedy  # noqa: E402
from model import bucket_table, load_t5, relative_position_bucket  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ORACLE = ROOT / "test" / "fixtures" / "oracle-checkpoints" / "t5"
CASES = ROOT / "test" / "fixtures" / "oracle-t5" / "oracle-cases.json"


def check_buckets(cfg) -> None:
    distances = torch.arange(-4096, 4097)
    for bidirectional in (True, False):
        table = bucket_table(bidirectional, cfg.relative_attention_num_buckets, cfg.relative_attention_max_distance)
        d = cfg.relative_attention_max_distance
        looked_up = table[torch.clamp(distances, -d, d) + d]
        direct = relative_position_bucket(distances, bidirectional, cfg.relative_attention_num_buckets, d)
        assert torch.equal(looked_up, direct), f"bucket table differs from HF's formula (bidirectional={bidirectional})"


def expected_logits(row: dict) -> dict[int, np.ndarray]:
    if "logits" in row:
        return {i: np.array(v, dtype=np.float32) for i, v in enumerate(row["logits"])}
    return {int(k): np.array(v, dtype=np.float32) for k, v in row["logits_at_positions"].items()}


def check_torch(model, cases) -> float:
    worst = 0.0
    for case in cases:
        ids = torch.tensor(case["input_ids"])
        mask = torch.tensor(case["attention_mask"])
        with torch.no_grad():
            enc = model.encoder(ids, mask)
        for r, row in enumerate(case["rows"]):
            n = row["encoder_length"]
            got = enc[r, :n].numpy()
            diff = np.abs(got - np.array(row["encoder_last_hidden_state"], dtype=np.float32)).max()
            assert diff < 1e-4, f"{case['name']}[{r}] encoder states differ by {diff}"
            worst = max(worst, float(diff))
            dec = torch.tensor([row["decoder_input_ids"]])
            with torch.no_grad():
                logits = model.logits(ids[r : r + 1, :n], mask[r : r + 1, :n], dec)[0].numpy()
            for pos, want in expected_logits(row).items():
                diff = np.abs(logits[pos] - want).max()
                assert diff < 1e-3, f"{case['name']}[{r}] logits at {pos} differ by {diff}"
                worst = max(worst, float(diff))
            assert logits.argmax(-1).tolist() == row["argmax_ids"], f"{case['name']}[{r}] argmax ids differ"
        greedy_ids = greedy(model, ids, mask, 12)
        for r, row in enumerate(case["rows"]):
            want = row["greedy_ids"]
            assert greedy_ids[r][: len(want)] == want, f"{case['name']}[{r}] greedy {greedy_ids[r]} != {want}"
    return worst


def check_onnx(folder: Path, cases) -> float:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from common.ort_runner import run_onnx

    cfg = json.loads((folder / "config.json").read_text())
    layers, heads, dkv = cfg["num_decoder_layers"], cfg["num_heads"], cfg["d_kv"]
    worst = 0.0
    for case in cases:
        for r, row in enumerate(case["rows"]):
            n = row["encoder_length"]
            ids = np.array([case["input_ids"][r][:n]], dtype=np.int64)
            mask = np.ones_like(ids)
            enc = run_onnx(folder / "onnx/encoder_model.onnx", {"input_ids": ids, "attention_mask": mask})["last_hidden_state"]
            diff = np.abs(enc[0] - np.array(row["encoder_last_hidden_state"], dtype=np.float32)).max()
            assert diff < 1e-4, f"onnx {case['name']}[{r}] encoder states differ by {diff}"
            worst = max(worst, float(diff))
            want = expected_logits(row)
            dec = row["decoder_input_ids"]
            # Two calls: the first half with empty pasts (as transformers.js's first
            # step), then the rest through the first call's present.* as past.
            split = max(1, len(dec) // 2)
            past = {name: np.zeros((1, heads, 0, dkv), dtype=np.float32) for name in past_inputs(layers)}
            logits = []
            for chunk in (dec[:split], dec[split:]):
                if not chunk:
                    continue
                feeds = {"input_ids": np.array([chunk], dtype=np.int64), "encoder_attention_mask": mask, "encoder_hidden_states": enc, **past}
                out = run_onnx(folder / "onnx/decoder_model_merged.onnx", feeds)
                logits.extend(out["logits"][0])
                past = {name.replace("present.", "past_key_values."): v for name, v in out.items() if name.startswith("present.")}
            for pos, expected in want.items():
                diff = np.abs(logits[pos] - expected).max()
                assert diff < 1e-4, f"onnx {case['name']}[{r}] logits at {pos} differ by {diff} (past used: {pos >= split})"
                worst = max(worst, float(diff))
    return worst


def past_inputs(layers: int) -> list[str]:
    return [f"past_key_values.{i}.{kind}.{kv}" for i in range(layers) for kind in ("decoder", "encoder") for kv in ("key", "value")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oracle", type=Path, default=ORACLE)
    parser.add_argument("--cases", type=Path, help="the oracle's expected outputs (cases.json)")
    parser.add_argument("--onnx", type=Path, help="a folder written by export.py from the oracle checkpoint")
    args = parser.parse_args()
    torch.set_num_threads(1)
    cases_path = args.cases or (args.oracle / "cases.json" if (args.oracle / "cases.json").exists() else CASES)
    cases = json.loads(cases_path.read_text())["cases"]
    model = load_t5(args.oracle)
    check_buckets(model.config)
    print(f"torch: oracle reproduced, max abs diff {check_torch(model, cases):.2e}")
    if args.onnx:
        print(f"onnx: oracle reproduced with the past path, max abs diff {check_onnx(args.onnx, cases):.2e}")


if __name__ == "__main__":
    main()
