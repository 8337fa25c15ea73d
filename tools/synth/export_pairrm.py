"""Exports the trained synth ranker through the normal PairRM path and measures it:

  .cache/synth/pairrm-hf (train_pairrm.py's output)
    -> public/models/synth-pairrm/ (config, tokenizer, onnx/ fp32 fp16 q8 q4, manifest.json)
    -> test/golden/synth-pairrm.json (tools/pairrm/golden_pairs.PAIRS, fp32 PyTorch logits)
    -> tools/synth/RESULTS.md (test-split accuracy, variants' sign and rank agreement)

usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/synth/export_pairrm.py
           [--work .cache/synth/pairrm-hf] [--data .cache/synth/data]
Same weights in, same bytes out (the folder, the goldens and RESULTS.md).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.common.manifest import write_manifest  # noqa: E402
from tools.pairrm.export import export_folder  # noqa: E402
from tools.pairrm.goldens import golden_document, write_goldens  # noqa: E402
from tools.pairrm.model import load_config, load_pairrm  # noqa: E402
from tools.pairrm.model_folder import ALL_VARIANTS, pairrm_config  # noqa: E402
from tools.pairrm.tokenizer import PlainTextEncoder, load_proto  # noqa: E402
from tools.synth.data import DEFAULT_OUT as DEFAULT_DATA, read_jsonl  # noqa: E402
from tools.synth.evaluate import evaluate_folder, results_markdown  # noqa: E402
from tools.synth.train_pairrm import CANDIDATE_MAX_LENGTH, SOURCE_MAX_LENGTH  # noqa: E402

OUT_DIR = REPO / "public/models/synth-pairrm"
GOLDEN = REPO / "test/golden/synth-pairrm.json"
RESULTS = REPO / "tools/synth/RESULTS.md"
MAX_FOLDER_BYTES = 8 * 1000 * 1000
# As the tiny model: q8 quantizes the word embedding (2005 x 128, under tools/common's 1 MiB
# default); q4 keeps it fp32 (4-bit embedding rows cost the most agreement).
VARIANT_OPTIONS = {"q8": {"embedding_min_bytes": 65536}}


def folder_sizes(folder: Path) -> dict[str, int]:
    sizes = {p.relative_to(folder).as_posix(): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}
    sizes["total"] = sum(sizes.values())
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=REPO / ".cache/synth/pairrm-hf")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    torch.set_num_threads(1)
    work: Path = args.work

    model = load_pairrm(work)  # strict loader, as for a real checkpoint
    config = pairrm_config(load_config(work), SOURCE_MAX_LENGTH, CANDIDATE_MAX_LENGTH)
    encode = PlainTextEncoder(load_proto(work / "spm" / "spm.model"))
    document = golden_document(model, config, encode, "public/models/synth-pairrm")
    document["description"] = document["description"].replace(
        "for the tiny model", "for the synth model (trained on generated preference data, tools/synth)"
    ).replace("`npm run models`", "`npm run models:train`")
    write_goldens(GOLDEN, document)
    rows = [p["input_ids"] for p in document["pairs"]]
    export_folder(work, OUT_DIR, ALL_VARIANTS, SOURCE_MAX_LENGTH, CANDIDATE_MAX_LENGTH,
                  agreement_rows=(rows, "test/golden/synth-pairrm.json (every pair)"), variant_options=VARIANT_OPTIONS)

    result = evaluate_folder(model, OUT_DIR, read_jsonl(args.data / "test.jsonl"), encode, config)
    manifest = json.loads((OUT_DIR / "manifest.json").read_text())
    write_manifest(OUT_DIR, {"agreement": manifest["agreement"], "probe": manifest["probe"], "test_split": {
        "rows_from": "tools/synth/data.py test split (never used for training or selection)",
        "accuracy_pct": {k: round(100 * v, 2) for k, v in result["accuracy"]["fp32"].items()},
        "vs_fp32": result["vs_fp32"],
    }})
    sizes = folder_sizes(OUT_DIR)
    training = json.loads((work / "training.json").read_text()) if (work / "training.json").exists() else {}
    RESULTS.write_text(results_markdown(result, training, sizes))
    print(RESULTS.read_text())
    if sizes["total"] > MAX_FOLDER_BYTES:
        raise SystemExit(f"{OUT_DIR} is {sizes['total']} bytes, over the {MAX_FOLDER_BYTES} budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
