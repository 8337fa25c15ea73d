"""Real export: turns a PairRM-hf folder (config.json, model.safetensors, tokenizer files)
into a ready model folder: config.json with the engine's PairRM fields, tokenizer files,
onnx/model*.onnx variants, manifest.json (with each variant's agreement with fp32 and the
self-check `probe` a loaded model runs, tools/common/probe.py).

usage: /usr/bin/python3 tools/pairrm/export.py HF_FOLDER OUT_FOLDER
           [--variants fp32,fp16,q8,q4] [--source-max-length 1224] [--candidate-max-length 412]

Checks before writing the manifest: the fp32 graph equals the PyTorch model on probe rows
(1e-4), and, when HF_FOLDER is an oracle checkpoint (it holds a cases.json, or it is the
committed test/fixtures/oracle-checkpoints/deberta), the graph reproduces the oracle.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tools.pairrm.agreement import run_logits, variant_agreement  # noqa: E402
from tools.common.probe import add_probe  # noqa: E402
from tools.pairrm.check_oracle import check_all, oracle_cases  # noqa: E402
from tools.pairrm.model import PairRM, load_config, load_pairrm  # noqa: E402
from tools.pairrm.model_folder import (  # noqa: E402
    ALL_VARIANTS, finish_folder, pairrm_config, write_json, write_onnx_files,
)

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "spm.model")
PROBE_TOLERANCE = 1e-4


def copy_tokenizer(hf_dir: Path, out_dir: Path, model_max_length: int) -> list[str]:
    """Copies the tokenizer files. tokenizer.json is written plain-text safe (see
    tokenizer.py): converted from spm.model when there is one (the conversion transformers.js
    agrees with), else the shipped tokenizer.json with the plain-text edits. A missing
    tokenizer_config.json (transformers.js needs one) is written in DeBERTa-v3 style."""
    from tools.pairrm.tokenizer import plain_text_safe, tokenizer_config, tokenizer_json_from_spm

    copied = []
    for name in TOKENIZER_FILES:
        if (hf_dir / name).exists() and name != "tokenizer.json":
            shutil.copyfile(hf_dir / name, out_dir / name)
            copied.append(name)
    if (hf_dir / "spm.model").exists():
        write_json(out_dir / "tokenizer.json", tokenizer_json_from_spm(hf_dir / "spm.model", hf_dir), compact=True)
        copied.append("tokenizer.json (converted from spm.model)")
    elif (hf_dir / "tokenizer.json").exists():
        shipped = json.loads((hf_dir / "tokenizer.json").read_text())
        if shipped.get("model", {}).get("type") == "Unigram":
            write_json(out_dir / "tokenizer.json", plain_text_safe(shipped), compact=True)
            copied.append("tokenizer.json (plain-text edits)")
        else:
            shutil.copyfile(hf_dir / "tokenizer.json", out_dir / "tokenizer.json")
            copied.append("tokenizer.json")
    if "tokenizer.json" in " ".join(copied) and "tokenizer_config.json" not in copied:
        write_json(out_dir / "tokenizer_config.json", tokenizer_config(model_max_length))
        copied.append("tokenizer_config.json (written)")
    return copied


def probe_rows(config: dict, count: int = 24, seed: int = 0) -> list[list[int]]:
    """Rows shaped like real pairs (three [CLS] marker ... [SEP] segments) with random
    ordinary ids, segments of 1..199 tokens in every fourth row, else 1..39; the same
    rows every run."""
    rng = np.random.default_rng(seed)
    markers = [config["source_prefix_id"], config["cand1_prefix_id"], config["cand2_prefix_id"]]
    # Specials are 0..3; the added tokens ([MASK] just before the markers, <|candidate|>
    # just after) form one block around the markers: draw from everything else.
    low, high = min(markers) - 1, max(markers) + 1
    ordinary = np.array([i for i in range(4, config["vocab_size"]) if i < low or i > high])
    rows = []
    for i in range(count):
        lengths = rng.integers(1, 200 if i % 4 == 0 else 40, size=3)
        row: list[int] = []
        for marker, n in zip(("source_prefix_id", "cand1_prefix_id", "cand2_prefix_id"), lengths):
            body = rng.choice(ordinary, size=int(n)).tolist()
            row += [config["cls_token_id"], config[marker], *body, config["sep_token_id"]]
        rows.append(row)
    return rows


def check_against_torch(model: PairRM, fp32_path: Path, rows: list[list[int]], pad_id: int) -> float:
    from tools.pairrm.agreement import pad_rows

    with torch.no_grad():
        want = np.concatenate([
            model(*map(torch.from_numpy, pad_rows([row], pad_id))).logits.numpy() for row in rows
        ])
    got = run_logits(fp32_path, rows, pad_id)
    worst = float(np.abs(got - want).max())
    if not worst <= PROBE_TOLERANCE:
        raise SystemExit(f"fp32 ONNX differs from the PyTorch model by {worst:.3e} on probe rows")
    return worst


def export_folder(
    hf_folder: Path,
    out: Path,
    variants: tuple[str, ...],
    source_max_length: int,
    candidate_max_length: int,
    agreement_rows: tuple[list[list[int]], str] | None = None,
    variant_options: dict[str, dict] | None = None,
) -> Path:
    """HF-style folder -> ready model folder; returns the manifest path. Agreement is
    measured on `agreement_rows` (rows, label) or else on probe rows."""
    model = load_pairrm(hf_folder)
    out.mkdir(parents=True, exist_ok=True)
    config = pairrm_config(load_config(hf_folder), source_max_length, candidate_max_length)
    write_json(out / "config.json", config)
    copied = copy_tokenizer(hf_folder, out, source_max_length + 2 * candidate_max_length)
    print(f"tokenizer files: {copied or 'none in the source folder'}")

    fp32_path = write_onnx_files(model, out, variants, variant_options)
    rows = probe_rows(config)
    worst = check_against_torch(model, fp32_path, rows, config["pad_token_id"])
    print(f"fp32 ONNX vs PyTorch on {len(rows)} probe rows: max |dlogit| {worst:.2e}")
    if oracle_cases(hf_folder) is not None and not check_all(hf_folder, fp32_path):
        raise SystemExit("the exported graph does not reproduce the oracle")
    if agreement_rows is None:
        agreement_rows = (rows, "probe rows: random ordinary ids in the real-pair layout")
    agreement = variant_agreement(out, agreement_rows[0], config["pad_token_id"], agreement_rows[1])
    for variant in variants:
        if variant in agreement:
            print(f"{variant}: {agreement[variant]}")
    finish_folder(out, {"agreement": agreement})
    return add_probe(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("hf_folder", type=Path)
    parser.add_argument("out_folder", type=Path)
    parser.add_argument("--variants", default=",".join(ALL_VARIANTS))
    parser.add_argument("--source-max-length", type=int, default=1224)
    parser.add_argument("--candidate-max-length", type=int, default=412)
    args = parser.parse_args()
    torch.set_num_threads(min(2, torch.get_num_threads()))
    variants = tuple(v for v in args.variants.split(",") if v)
    manifest = export_folder(args.hf_folder, args.out_folder, variants, args.source_max_length, args.candidate_max_length)
    print(f"wrote {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
