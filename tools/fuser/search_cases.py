"""test/models/fuser-search-cases.json: many small beam searches on scripted decoders,
for testing src/engine/beam-search.ts against generate.beam_search_with (the Python
re-implementation of transformers 4.28.1) far beyond what the tiny model's goldens reach:
eos at every rank, batches whose entries finish at different steps, short and long limits.

A scripted decoder's logits are random (float32), drawn the first time a (batch entry,
token history) is fed and recorded in `logits`, keyed "entry|t0,t1,..". A port that feeds
the same histories finds every key; one that diverges fails on a missing key.

  /usr/bin/python3 tools/fuser/search_cases.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import SpecialIds, beam_search_with  # noqa: E402

OUT = HERE.parents[1] / "test/models/fuser-search-cases.json"
IDS = SpecialIds(start=0, eos=1, pad=0)


class ScriptedDecoder:
    def __init__(self, rng: np.random.Generator, rows: int, num_beams: int, vocab: int, eos_bias: float):
        self.rng, self.vocab, self.eos_bias, self.num_beams = rng, vocab, eos_bias, num_beams
        self.histories: list[list[int]] = [[] for _ in range(rows)]
        self.logits: dict[str, list[float]] = {}

    def key(self, row: int) -> str:
        return f"{row // self.num_beams}|" + ",".join(map(str, self.histories[row]))

    def step(self, new_ids: torch.Tensor) -> torch.Tensor:
        out = []
        for row, token in enumerate(new_ids[:, 0].tolist()):
            self.histories[row].append(token)
            key = self.key(row)
            if key not in self.logits:
                values = self.rng.normal(0.0, 2.0, self.vocab).astype(np.float32)
                values[IDS.eos] += np.float32(self.eos_bias)
                self.logits[key] = [float(v) for v in values]
            out.append(self.logits[key])
        return torch.tensor(out, dtype=torch.float32)

    def reorder(self, rows: torch.Tensor) -> None:
        self.histories = [list(self.histories[r]) for r in rows.tolist()]


def make_cases() -> list[dict]:
    rng = np.random.default_rng(0)
    cases = []
    for index in range(40):
        batch = int(rng.integers(1, 4))
        num_beams = int(rng.integers(2, 5))
        vocab = int(rng.integers(2 * num_beams + 1, 12))
        max_new_tokens = int(rng.integers(1, 9))
        eos_bias = float(rng.choice([-2.0, 0.0, 1.0, 2.0, 3.0]))
        decoder = ScriptedDecoder(rng, batch * num_beams, num_beams, vocab, eos_bias)
        result = beam_search_with(decoder.step, decoder.reorder, batch, num_beams, max_new_tokens, IDS)
        cases.append({
            "name": f"case_{index}", "batch": batch, "num_beams": num_beams, "vocab": vocab,
            "max_new_tokens": max_new_tokens, "expected_padded": result, "logits": decoder.logits,
        })
    return cases


def main() -> None:
    torch.set_num_threads(1)
    data = {
        "description": __doc__.strip().splitlines()[0] + " Made by tools/fuser/search_cases.py.",
        "special_ids": {"decoder_start_token_id": IDS.start, "eos_token_id": IDS.eos, "pad_token_id": IDS.pad},
        "cases": make_cases(),
    }
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    finished = sum(1 for c in data["cases"] for row in c["expected_padded"] if IDS.eos in row[1:])
    print(f"{OUT.name}: {len(data['cases'])} cases, {finished} rows ended by eos, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
