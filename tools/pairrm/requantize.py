"""Rewrites a PairRM folder's quantized variants from its committed fp32 graph and refreshes
what the manifest says about them, for a folder whose checkpoint is not at hand (the synth
ranker's trained weights live in .cache/synth, outside git; retraining takes ~40 min):

    /usr/bin/python3 tools/pairrm/requantize.py public/models/synth-pairrm \
        --goldens test/golden/synth-pairrm.json --embedding-min-bytes 65536 [--variants q8] \
        [--test-split .cache/synth/data]

1. onnx/model.onnx stays as it is; each variant is written from it by tools/common/variants.py
   (what the exporter does after writing model.onnx, so the bytes are the exporter's);
2. manifest `agreement` (sign agreement and max |dlogit| vs fp32 over every golden pair);
3. with --test-split: `test_split.vs_fp32` (tools/synth/evaluate.py's figures: sign, max
   |dlogit|, rank and top-1 agreement over the test split), with texts tokenized by the
   folder's own tokenizer.json (encode_plain.mjs) instead of the sentencepiece model;
   `test_split.accuracy_pct` (the fp32 graph's) is kept;
4. `probe` recomputed from the fp32 graph (tools/common/probe.py), every other key kept.
The variant options must be the exporter's (tools/synth/export_pairrm.py: VARIANT_OPTIONS),
or the next real export gives other bytes.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))
from tools.common.manifest import write_manifest  # noqa: E402
from tools.common.probe import add_probe  # noqa: E402
from tools.pairrm.model_folder import write_ranker_variants  # noqa: E402
from tools.pairrm.agreement import variant_agreement  # noqa: E402

HERE = Path(__file__).resolve().parent


class FolderEncoder:
    """PlainEncoder over a fixed set of texts, tokenized at once by the folder's tokenizer.json."""

    def __init__(self, folder: Path, texts: list[str]):
        unique = sorted(set(texts))
        result = subprocess.run(["node", str(HERE / "encode_plain.mjs"), "--folder", str(folder)],
                                input=json.dumps(unique), capture_output=True, text=True, check=True, cwd=REPO)
        self.ids = dict(zip(unique, json.loads(result.stdout)))

    def __call__(self, text: str) -> list[int]:
        return list(self.ids[text])


def test_split_vs_fp32(folder: Path, data: Path, variants: list[str]) -> tuple[dict, dict]:
    """evaluate.py's vs_fp32 figures for `variants` on the test split, without PyTorch, and
    each variant's test-split accuracy per family (the rows of tools/synth/RESULTS.md)."""
    import numpy as np
    from tools.pairrm.agreement import VARIANT_FILES
    from tools.pairrm.pair_encoding import PairLayout
    from tools.synth.data import read_jsonl
    from tools.synth.evaluate import (
        accuracy, agreement_vs_fp32, batched_logits, group_ranks, group_rows, ordered_rows, rank_groups,
    )

    config = json.loads((folder / "config.json").read_text())
    layout = PairLayout.from_config(config)
    rows_in = read_jsonl(data / "test.jsonl")
    texts: list[str] = []

    def record(text: str) -> list[int]:
        texts.append(text)
        return []

    groups = rank_groups(rows_in)
    ordered_rows(rows_in, record, layout)
    group_rows(groups, record, layout)
    encode = FolderEncoder(folder, texts)
    rows, families = ordered_rows(rows_in, encode, layout)
    g_rows, where = group_rows(groups, encode, layout)
    pad_id = config["pad_token_id"]

    def measure(variant: str) -> tuple[np.ndarray, list[list[int]]]:
        path = folder / "onnx" / VARIANT_FILES[variant]
        return batched_logits(path, rows, pad_id), group_ranks(batched_logits(path, g_rows, pad_id), groups, where)

    reference, reference_ranks = measure("fp32")
    out, accuracies = {}, {}
    for variant in variants:
        logits, ranks = measure(variant)
        accuracies[variant] = {k: round(100 * v, 2) for k, v in accuracy(logits, families).items()}
        out[variant] = agreement_vs_fp32(logits, ranks, reference, reference_ranks)
    return out, accuracies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--goldens", type=Path, required=True, help="golden pairs whose input_ids give the agreement rows")
    parser.add_argument("--variants", nargs="*", default=["q8"], choices=["fp16", "q8", "q4"])
    parser.add_argument("--embedding-min-bytes", type=int, default=None, help="q8/q4 embedding threshold, as the exporter's")
    parser.add_argument("--test-split", type=Path, metavar="DATA_DIR", help="tools/synth/data.py output: refresh test_split.vs_fp32")
    args = parser.parse_args()
    folder: Path = args.folder
    options = {} if args.embedding_min_bytes is None else {"embedding_min_bytes": args.embedding_min_bytes}
    for variant, path in write_ranker_variants(folder / "onnx" / "model.onnx", tuple(args.variants), q8_options=options).items():
        print(f"{variant}: {path} ({path.stat().st_size:,d} bytes)")

    manifest = json.loads((folder / "manifest.json").read_text())
    extra = {k: v for k, v in manifest.items() if k != "files"}
    pad_id = json.loads((folder / "config.json").read_text())["pad_token_id"]
    golden_rows = [pair["input_ids"] for pair in json.loads(args.goldens.read_text())["pairs"]]
    label = manifest.get("agreement", {}).get("rows_from", f"{args.goldens} (every pair)")
    extra["agreement"] = variant_agreement(folder, golden_rows, pad_id, label)
    if args.test_split:
        split = dict(extra.get("test_split", {}))
        vs_fp32, accuracies = test_split_vs_fp32(folder, args.test_split, args.variants)
        split["vs_fp32"] = {**split.get("vs_fp32", {}), **vs_fp32}
        extra["test_split"] = split
        for variant in args.variants:
            print(f"{variant} test-split accuracy %: {accuracies[variant]}; vs fp32: {vs_fp32[variant]}")
    write_manifest(folder, extra)
    print(f"wrote {add_probe(folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
