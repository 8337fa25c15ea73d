"""Preference pairs for fine-tuning PairRM from MixInstruct-format rows (JSON Lines or one JSON
array): `{id, instruction, input, output, candidates: [{model, text, scores}], cmp_results?}`.

Labels, as LLM-Blender's ranker training takes them:
  * by metrics (`metrics=("rouge1", "rouge2", "bleu")`): a candidate's quality is the mean of
    those scores; of two candidates the higher is better; equal qualities give no pair;
  * by judgements (`metrics=None`): `cmp_results` "A is better" / "B is better"; "Same good" /
    "Same bad" give no pair.
Candidates with identical texts never form a pair (nothing to learn from them).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pair:
    row: str
    instruction: str
    input: str
    better: str
    worse: str


def read_rows(path: Path) -> list[dict]:
    text = Path(path).read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def row_pairs(row: dict, metrics: tuple[str, ...] | None) -> list[Pair]:
    candidates = row["candidates"]
    make = lambda better, worse: Pair(str(row.get("id", "")), row.get("instruction", ""), row["input"],
                                      better["text"], worse["text"])
    pairs = []
    if metrics is None:
        by_model = {c["model"]: c for c in candidates}
        for key, verdict in (row.get("cmp_results") or {}).items():
            a, b = (by_model.get(name) for name in key.split(","))
            if a is None or b is None or a["text"] == b["text"]:
                continue
            if verdict == "A is better":
                pairs.append(make(a, b))
            elif verdict == "B is better":
                pairs.append(make(b, a))
        return pairs
    missing = [m for m in metrics for c in candidates if m not in (c.get("scores") or {})]
    if missing:
        raise ValueError(f"row {row.get('id')!r}: a candidate lacks metric {missing[0]!r}")
    quality = [sum(c["scores"][m] for m in metrics) / len(metrics) for c in candidates]
    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if quality[i] == quality[j] or candidates[i]["text"] == candidates[j]["text"]:
                continue
            better, worse = (i, j) if quality[i] > quality[j] else (j, i)
            pairs.append(make(candidates[better], candidates[worse]))
    return pairs


def dataset_pairs(rows: list[dict], metrics: tuple[str, ...] | None, per_row: int | None, rng: random.Random) -> list[Pair]:
    """Every row's pairs; with `per_row`, at most that many per row, drawn with `rng`."""
    out = []
    for row in rows:
        pairs = row_pairs(row, metrics)
        if per_row is not None and len(pairs) > per_row:
            pairs = rng.sample(pairs, per_row)
        out += pairs
    return out
