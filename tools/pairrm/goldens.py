"""test/golden/pairrm.json: for each pair of golden_pairs.PAIRS the texts, the plain-text
content ids, the row ids by the pair rule and the fp32 PyTorch logit (batch of one).
Computed from sentencepiece + the PyTorch model, independently of the ONNX graphs and of
transformers.js. Deterministic."""
from __future__ import annotations

import json
from pathlib import Path

import torch

from tools.pairrm.golden_pairs import PAIRS
from tools.pairrm.model import PairRM
from tools.pairrm.pair_encoding import PairLayout, PlainEncoder, clean, encode_pair


def float32_text(value: float) -> float:
    """9 significant digits: parsed back as float32, the exact computed value."""
    return float(f"{value:.9g}")


def golden_document(model: PairRM, config: dict, encode: PlainEncoder, model_dir: str) -> dict:
    layout = PairLayout.from_config(config)
    pairs = []
    for name, instruction, input_text, cand1, cand2 in PAIRS:
        row = encode_pair(encode, layout, instruction, input_text, cand1, cand2)
        ids = torch.tensor([row], dtype=torch.long)
        with torch.no_grad():
            logit = model(ids, torch.ones_like(ids)).logits[0].item()
        pairs.append({
            "name": name,
            "instruction": instruction,
            "input": input_text,
            "candidate1": cand1,
            "candidate2": cand2,
            "content_ids": {
                "source": encode(clean(instruction + input_text)),
                "candidate1": encode(clean(cand1)),
                "candidate2": encode(clean(cand2)),
            },
            "input_ids": row,
            "logit": float32_text(logit),
        })
    return {
        "description": (
            "PairRM goldens for the tiny model. content_ids: the tokenizer on plain text (no "
            "added/special token matching, no specials; literal [SEP] already replaced by a "
            "space); input_ids: the pair rule of tools/pairrm/pair_encoding.py; logit: fp32 "
            "PyTorch (tools/pairrm/model.py), left - right, > 0 means candidate1 is better. "
            "Regenerate with `npm run models`."
        ),
        "model": model_dir,
        "cls_token_id": layout.cls_id,
        "sep_token_id": layout.sep_id,
        "marker_ids": {"source": layout.source_id, "candidate1": layout.cand1_id, "candidate2": layout.cand2_id},
        "source_max_length": layout.source_max_length,
        "candidate_max_length": layout.candidate_max_length,
        "pairs": pairs,
    }


def write_goldens(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
