"""Large benchmark preset: random weights with the real PairRM dimensions (DeBERTa-v3-large:
vocab 128005, 24 x 1024, 16 heads, FFN 4096; markers 128001..128003; lengths 1224/412)
in every variant, written outside git. The tokenizer is the tiny model's (its ids are all
< 2005, valid in the large vocab): the preset measures speed, not quality.

usage: /usr/bin/python3 tools/pairrm/make_large.py [OUT_DIR] [--layers N] [--variants ...] [--manifest-only]
           [--from-fp32 DIR]
  (default OUT_DIR .cache/models/pairrm-large; --layers 2 is a quick dry run of the path;
  --from-fp32 DIR: no new weights, OUT_DIR gets DIR's fp32 graph (hard link), config and
  tokenizer and the requested variants made from that graph: a new quantizer measured on
  the same weights in ~10 min instead of the ~1 h export)
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.common.safetensors import write_safetensors  # noqa: E402
from tools.pairrm.export import export_folder, probe_rows  # noqa: E402
from tools.pairrm.model import PairRMConfig  # noqa: E402
from tools.pairrm.model_folder import ALL_VARIANTS, pairrm_config, random_pairrm_architecture, write_json  # noqa: E402
from tools.pairrm.random_weights import random_pairrm  # noqa: E402

TINY = REPO / "public/models/tiny-pairrm"
SEED = 7


def large_architecture(layers: int) -> dict:
    """PairRM's real dimensions (DeBERTa-v3-large, markers 128001..128004)."""
    markers = {"<|source|>": 128001, "<|candidate1|>": 128002, "<|candidate2|>": 128003, "<|candidate|>": 128004}
    return random_pairrm_architecture(
        vocab_size=128005, hidden_size=1024, layers=layers, heads=16, ffn=4096, position_buckets=256, max_positions=512,
        markers=markers,
    )


def manifest_only(out_dir: Path, raw: dict, probe_count: int, started: float) -> int:
    from tools.pairrm.agreement import variant_agreement
    from tools.pairrm.model_folder import finish_folder

    config = pairrm_config(raw, 1224, 412)
    rows = probe_rows(config, count=probe_count)
    agreement = variant_agreement(out_dir, rows, config["pad_token_id"], "probe rows: random ordinary ids in the real-pair layout")
    finish_folder(out_dir, {"agreement": agreement})
    from tools.common.probe import add_probe

    manifest = add_probe(out_dir)  # the self-check, as export_folder writes it
    print(f"wrote {manifest} in {time.time() - started:.0f} s (no fp32-vs-PyTorch check: bench/run.mjs compares the logits)")
    return 0


def variants_from_fp32(source: Path, out_dir: Path, variants: tuple[str, ...]) -> None:
    """out_dir/onnx/model.onnx as a hard link to source's (same bytes, no copy), source's
    config and tokenizer files, and `variants` written from that fp32 graph."""
    from tools.pairrm.model_folder import write_ranker_variants

    (out_dir / "onnx").mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(source / name, out_dir / name)
    fp32 = out_dir / "onnx" / "model.onnx"
    if not fp32.exists():
        fp32.hardlink_to(source / "onnx" / "model.onnx")
    for variant, path in write_ranker_variants(fp32, variants).items():
        print(f"{variant}: {path} ({path.stat().st_size:,d} bytes)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir", type=Path, nargs="?", default=REPO / ".cache/models/pairrm-large")
    parser.add_argument("--layers", type=int, default=24)
    parser.add_argument("--variants", default=",".join(ALL_VARIANTS))
    parser.add_argument("--probe-rows", type=int, default=4, help="rows for the agreement figures")
    parser.add_argument("--manifest-only", action="store_true",
                        help="keep OUT_DIR's ONNX files, only measure agreement and write manifest.json "
                             "(finishes a run whose fp32-vs-PyTorch check timed out on a busy machine)")
    parser.add_argument("--from-fp32", type=Path, metavar="DIR",
                        help="reuse DIR's onnx/model.onnx (same weights) and write only the variants")
    args = parser.parse_args()
    torch.set_num_threads(2)
    started = time.time()
    raw = large_architecture(args.layers)
    if args.from_fp32:
        variants_from_fp32(args.from_fp32, args.out_dir, tuple(v for v in args.variants.split(",") if v != "fp32"))
        return manifest_only(args.out_dir, raw, args.probe_rows, started)
    if args.manifest_only:
        return manifest_only(args.out_dir, raw, args.probe_rows, started)
    with tempfile.TemporaryDirectory(prefix="pairrm_large_") as tmp:
        hf = Path(tmp)
        write_json(hf / "config.json", raw)
        for name in ("tokenizer.json", "tokenizer_config.json"):
            shutil.copyfile(TINY / name, hf / name)
        model = random_pairrm(PairRMConfig.from_dict(raw), SEED)
        write_safetensors(hf / "model.safetensors", dict(model.state_dict()))
        del model
        print(f"random weights: {time.time() - started:.0f} s")
        rows = probe_rows(pairrm_config(raw, 1224, 412), count=args.probe_rows)
        manifest = export_folder(hf, args.out_dir, tuple(args.variants.split(",")), 1224, 412,
                                 agreement_rows=(rows, "probe rows: random ordinary ids in the real-pair layout"))
    for path in sorted(args.out_dir.rglob("*")):
        if path.is_file():
            print(f"{path.stat().st_size:>14,d}  {path.relative_to(args.out_dir)}")
    print(f"wrote {manifest} in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
