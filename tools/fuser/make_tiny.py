"""Builds the bundled tiny fuser and its goldens, deterministically:

  /usr/bin/python3 tools/fuser/make_tiny.py

1. tiny_checkpoint.py: tokenizer + random Flan-T5-shaped weights as a Hugging Face folder;
2. goldens.py: test/golden/fuser.json (torch greedy and beam generations);
3. export.py (the real-export command): public/models/tiny-fuser with every variant and
   each variant's greedy agreement with fp32 on the golden prompts in manifest.json;
4. checks the folder stays within 3 MB.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import goldens  # noqa: E402
from model import load_t5  # noqa: E402
from t5_tokenizer import T5TokenizerPy  # noqa: E402
from tiny_checkpoint import EXTRA_IDS, write_checkpoint  # noqa: E402

OUT = ROOT / "public/models/tiny-fuser"
GOLDEN = ROOT / "test/golden/fuser.json"
SOURCE_MAX_TOKENS = 96
CANDIDATE_MAX_TOKENS = 16
MAX_FOLDER_BYTES = 3 * 1024 * 1024


def main() -> None:
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory(prefix="tiny-fuser-") as tmp:
        work = Path(tmp)
        probes = [f"Instruction: {c[1]}</s>Input: {c[2]}" for c in goldens.CASES[:4]]
        hf = write_checkpoint(work, probes)
        from sentencepiece import sentencepiece_model_pb2 as sp_pb2

        proto = sp_pb2.ModelProto()
        proto.ParseFromString((work / "spm" / "spm.model").read_bytes())
        tok = T5TokenizerPy(proto, EXTRA_IDS)
        model = load_t5(hf)
        data = goldens.build(model, tok, SOURCE_MAX_TOKENS, CANDIDATE_MAX_TOKENS)
        goldens.write(GOLDEN, data)
        prompts = work / "agreement_prompts.json"
        prompts.write_text(json.dumps([c["input_ids"] for c in data["cases"]]))
        subprocess.run(
            [sys.executable, str(HERE / "export.py"), str(hf), str(OUT), "--agreement-prompts", str(prompts),
             "--source-max-tokens", str(SOURCE_MAX_TOKENS), "--candidate-max-tokens", str(CANDIDATE_MAX_TOKENS)],
            check=True,
        )
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{OUT.relative_to(ROOT)}: {size} bytes")
    if size > MAX_FOLDER_BYTES:
        sys.exit(f"tiny fuser is {size} bytes, over the {MAX_FOLDER_BYTES} byte budget")
    summarize(data)


def summarize(data: dict) -> None:
    early = sum(1 for c in data["cases"] if len(c["greedy"]["ids"]) < 1 + data["max_new_tokens"])
    beam_eos = sum(1 for c in data["cases"] if c["beam"]["ids"][-1] == 1)
    differ = sum(1 for c in data["cases"] if c["beam"]["ids"] != c["greedy"]["ids"])
    print(f"goldens: {len(data['cases'])} cases; greedy stops early in {early}, beam ends with eos in {beam_eos}, beam != greedy in {differ}")


if __name__ == "__main__":
    main()
