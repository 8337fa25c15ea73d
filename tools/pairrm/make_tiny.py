"""Builds the bundled tiny PairRM: tokenizer (trained here), random weights (fixed seed),
goldens, and public/models/tiny-pairrm/ in every variant via the real-export path.

usage: /usr/bin/python3 tools/pairrm/make_tiny.py [--work .cache/models/tiny-pairrm-hf]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.common.safetensors import write_safetensors  # noqa: E402
from tools.pairrm.export import export_folder  # noqa: E402
from tools.pairrm.goldens import golden_document, write_goldens  # noqa: E402
from tools.pairrm.model import PairRMConfig, load_pairrm  # noqa: E402
from tools.pairrm.model_folder import ALL_VARIANTS, pairrm_config, random_pairrm_architecture, write_json  # noqa: E402
from tools.pairrm.random_weights import random_pairrm  # noqa: E402
from tools.pairrm.tokenizer import (  # noqa: E402
    SPECIALS, PlainTextEncoder, added_token_ids, pairrm_tokenizer_json, tokenizer_config, train_tiny_spm,
)

SOURCE_MAX_LENGTH = 64
CANDIDATE_MAX_LENGTH = 32
# The oracle's recipe (query/key gain 2), seed 7: golden logits of both signs (14 of 44 > 0).
# A 64-wide random model is fragile under 4-bit weights: q4's sign agreement with fp32 on
# the goldens varies with the seed (see tools/pairrm/README.md), seed 7 gives 100%.
WEIGHT_SEED = 7
QK_GAIN = 2.0
# q8 quantizes the word embedding as the real export does (there 128005 x 1024, above
# tools/common's 1 MiB default; here 2005 x 64 = 0.5 MB). q4 keeps tools/common's default
# (the tiny embedding stays fp32): 4-bit embedding rows took q4 from 100% to 93.2% here.
VARIANT_OPTIONS = {"q8": {"embedding_min_bytes": 65536}}
OUT_DIR = REPO / "public/models/tiny-pairrm"
GOLDEN = REPO / "test/golden/pairrm.json"
MAX_FOLDER_BYTES = 3 * 1024 * 1024


def tiny_architecture(vocab_size: int, markers: dict[str, int]) -> dict:
    """DeBERTa-v3 structure at toy size. Buckets are scaled down with the lengths (32 over
    128 positions instead of 256 over 512) so the 128-token rows reach log-bucketed
    distances, as 2048-token rows do in the real model."""
    return random_pairrm_architecture(
        vocab_size=vocab_size, hidden_size=64, layers=2, heads=4, ffn=128, position_buckets=32, max_positions=128,
        markers=markers, extra_ids={"cls_token_id": 1, "mask_token_id": markers["[MASK]"]},
    )


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=REPO / ".cache/models/tiny-pairrm-hf")
    args = parser.parse_args()
    torch.set_num_threads(1)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)

    proto = train_tiny_spm(work / "spm")
    added = added_token_ids(proto)
    write_json(work / "tokenizer.json", pairrm_tokenizer_json(proto), compact=True)
    write_json(work / "tokenizer_config.json", tokenizer_config(SOURCE_MAX_LENGTH + 2 * CANDIDATE_MAX_LENGTH))
    raw = tiny_architecture(len(proto.pieces) + len(added), added)
    assert [p.piece for p in proto.pieces[: len(SPECIALS)]] == list(SPECIALS)
    write_json(work / "config.json", raw)
    model = random_pairrm(PairRMConfig.from_dict(raw), WEIGHT_SEED, QK_GAIN)
    write_safetensors(work / "model.safetensors", dict(model.state_dict()))

    config = pairrm_config(raw, SOURCE_MAX_LENGTH, CANDIDATE_MAX_LENGTH)
    reloaded = load_pairrm(work)  # through the strict loader, like a real checkpoint
    document = golden_document(reloaded, config, PlainTextEncoder(proto), "public/models/tiny-pairrm")
    write_goldens(GOLDEN, document)
    logits = [p["logit"] for p in document["pairs"]]
    print(f"goldens: {len(logits)} pairs, logits {min(logits):.3f} .. {max(logits):.3f}, "
          f"{sum(l > 0 for l in logits)} positive")

    rows = [p["input_ids"] for p in document["pairs"]]
    export_folder(work, OUT_DIR, ALL_VARIANTS, SOURCE_MAX_LENGTH, CANDIDATE_MAX_LENGTH,
                  agreement_rows=(rows, "test/golden/pairrm.json (every pair)"), variant_options=VARIANT_OPTIONS)
    size = folder_bytes(OUT_DIR)
    print(f"{OUT_DIR.relative_to(REPO)}: {size} bytes")
    if size > MAX_FOLDER_BYTES:
        raise SystemExit(f"tiny model folder is {size} bytes, over the {MAX_FOLDER_BYTES} budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
