"""Held-out figures of the synth fuser (export_fuser.py calls this after training and selection):

- per family, exact match and token-level F1 of the fuser's greedy answer against the target,
  next to two baselines on the same prompts: "the first candidate" and "the top-ranked
  candidate" (the one the bundled synth ranker, public/models/synth-pairrm fp32, ranks first
  with the full strategy, run through this project's own Node entry: rank_first.mjs);
- exact match: equal after collapsing whitespace; token F1: SQuAD-style overlap of word and
  punctuation tokens, case kept (so "the cat" does not match "THE CAT").
"""
from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RANKER = REPO / "public/models/synth-pairrm"
TOKEN = re.compile(r"\w+|[^\w\s]")


def normalized(text: str) -> str:
    return " ".join(text.split())


def exact_match(prediction: str, target: str) -> float:
    return float(normalized(prediction) == normalized(target))


def token_f1(prediction: str, target: str) -> float:
    predicted, wanted = TOKEN.findall(prediction), TOKEN.findall(target)
    if not predicted or not wanted:
        return float(predicted == wanted)
    common = sum((Counter(predicted) & Counter(wanted)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(wanted)
    return 2 * precision * recall / (precision + recall)


def top_ranked(rows: list[dict]) -> list[str]:
    """Each row's candidate ranked first by the synth ranker (fp32, full strategy, max_logits),
    through this checkout's Node entry (tools/synth/rank_first.mjs)."""
    source = "".join(json.dumps({"instruction": r["instruction"], "input": r["input"], "candidates": r["candidates"]}) + "\n"
                     for r in rows)
    out = subprocess.run(["node", str(REPO / "tools/synth/rank_first.mjs"), "--ranker", str(RANKER), "--dtype", "fp32"],
                         input=source, capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        raise RuntimeError(f"rank_first.mjs failed ({out.returncode}): {out.stderr[-3000:]}")
    firsts = [json.loads(line)["first"] for line in out.stdout.splitlines() if line.strip()]
    if len(firsts) != len(rows):
        raise RuntimeError(f"rank_first.mjs gave {len(firsts)} results for {len(rows)} rows: {out.stderr[-2000:]}")
    return [row["candidates"][first] for row, first in zip(rows, firsts)]


def family_table(rows: list[dict], outputs: dict[str, list[str]]) -> dict[str, dict[str, dict[str, float]]]:
    """{system: {family | "overall": {"exact_match", "token_f1", "rows"}}} in percent."""
    table: dict[str, dict[str, dict[str, float]]] = {}
    families = sorted({r["family"] for r in rows})
    for system, texts in outputs.items():
        table[system] = {}
        for family in families + ["overall"]:
            index = [i for i, r in enumerate(rows) if family in ("overall", r["family"])]
            table[system][family] = {
                "exact_match": round(100 * sum(exact_match(texts[i], rows[i]["target"]) for i in index) / len(index), 1),
                "token_f1": round(100 * sum(token_f1(texts[i], rows[i]["target"]) for i in index) / len(index), 1),
                "rows": len(index),
            }
    return table
