"""A tiny random PairRM checkpoint in the Hugging Face layout that train.py and export.py read
(config.json, model.safetensors, spm.model, added_tokens.json, tokenizer.json,
tokenizer_config.json): the bundled tiny model's tokenizer, architecture and weight recipe
(tools/pairrm/make_tiny.py), for tests and dry runs of fine-tuning.

usage: /usr/bin/python3 tools/pairrm/tiny_checkpoint.py OUT_DIR
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.common.safetensors import write_safetensors  # noqa: E402
from tools.pairrm.make_tiny import CANDIDATE_MAX_LENGTH, QK_GAIN, SOURCE_MAX_LENGTH, WEIGHT_SEED, tiny_architecture  # noqa: E402
from tools.pairrm.model import PairRMConfig  # noqa: E402
from tools.pairrm.model_folder import write_json  # noqa: E402
from tools.pairrm.random_weights import random_pairrm  # noqa: E402
from tools.pairrm.tokenizer import added_token_ids, pairrm_tokenizer_json, tokenizer_config, train_tiny_spm  # noqa: E402


def write_tiny_checkpoint(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    proto = train_tiny_spm(out / "spm")
    shutil.copyfile(out / "spm" / "spm.model", out / "spm.model")
    shutil.rmtree(out / "spm")
    added = added_token_ids(proto)
    write_json(out / "added_tokens.json", added)
    write_json(out / "tokenizer.json", pairrm_tokenizer_json(proto), compact=True)
    write_json(out / "tokenizer_config.json", tokenizer_config(SOURCE_MAX_LENGTH + 2 * CANDIDATE_MAX_LENGTH))
    raw = tiny_architecture(len(proto.pieces) + len(added), added)
    write_json(out / "config.json", raw)
    model = random_pairrm(PairRMConfig.from_dict(raw), WEIGHT_SEED, QK_GAIN)
    write_safetensors(out / "model.safetensors", dict(model.state_dict()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    print(f"wrote {write_tiny_checkpoint(args.out)} (source/candidate max lengths {SOURCE_MAX_LENGTH}/{CANDIDATE_MAX_LENGTH})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
