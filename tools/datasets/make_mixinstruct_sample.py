"""Writes a small MixInstruct-format sample for tests (generated here, nothing downloaded):
test/fixtures/datasets/mixinstruct-sample.jsonl (40 rows) and mixinstruct-dev.jsonl (16 rows).

usage: /usr/bin/python3 tools/datasets/make_mixinstruct_sample.py [--seed 5]

Each row is one tools/synth family row (instruction, input, a better and a worse answer) from
that data's test split (rows the synth ranker never trained on). Its candidates come from five
made-up models; each model answers with one of four quality levels, drawn from its own
profile (so the models differ in how often they win):
    3 the better answer   2 the better answer cut short   1 the worse answer   0 the worse cut short
`output` (the reference) is the better answer. Metric scores per candidate against the
reference, computed here: rouge1 and rouge2 (F1 of unigram / bigram overlap, lower-cased
whitespace tokens) and bleu (sentence BLEU-4, add-one smoothing of the 2-4-gram precisions,
brevity penalty), the three metrics LLM-Blender's ranker training uses by name. Every other
row carries `cmp_results` for all ten model pairs, decided by level (higher is better; equal
levels are "Same good" at 2-3 and "Same bad" at 0-1), standing in for ChatGPT's judgements.
The same seed gives the same bytes.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.synth.data import load_topics, split_of  # noqa: E402
from tools.synth.families import FAMILIES, cut  # noqa: E402

OUT = REPO / "test/fixtures/datasets"
# Model -> probability of levels 3, 2, 1, 0.
PROFILES = {
    "strong-13b": (0.60, 0.25, 0.10, 0.05),
    "steady-7b": (0.35, 0.35, 0.20, 0.10),
    "mixed-7b": (0.25, 0.25, 0.25, 0.25),
    "weak-3b": (0.10, 0.20, 0.35, 0.35),
    "terse-1b": (0.05, 0.15, 0.30, 0.50),
}
LEVELS = (3, 2, 1, 0)


def tokens(text: str) -> list[str]:
    return text.lower().split()


def ngrams(words: list[str], n: int) -> Counter:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def rouge_n(candidate: str, reference: str, n: int) -> float:
    c, r = ngrams(tokens(candidate), n), ngrams(tokens(reference), n)
    overlap = sum((c & r).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(c.values()), overlap / sum(r.values())
    return 2 * precision * recall / (precision + recall)


def bleu(candidate: str, reference: str) -> float:
    c, r = tokens(candidate), tokens(reference)
    if not c:
        return 0.0
    log_precisions = []
    for n in range(1, 5):
        matched = sum((ngrams(c, n) & ngrams(r, n)).values())
        total = max(0, len(c) - n + 1)
        if n == 1:
            if matched == 0:
                return 0.0
            log_precisions.append(math.log(matched / total))
        else:  # add-one smoothing: short answers still get a score
            log_precisions.append(math.log((matched + 1) / (total + 1)))
    brevity = 1.0 if len(c) > len(r) else math.exp(1 - len(r) / len(c))
    return brevity * math.exp(sum(log_precisions) / 4)


def variants(better: str, worse: str, rng: random.Random) -> dict[int, str]:
    return {3: better, 2: cut(better, rng), 1: worse, 0: cut(worse, rng)}


def make_rows(rng: random.Random, topics: list, count: int, prefix: str, seen: set[str]) -> list[dict]:
    families = list(FAMILIES.items())
    rows = []
    while len(rows) < count:
        family, make = families[len(rows) % len(families)]
        base = make(rng, topics)
        key = base["instruction"] + base["input"]
        if split_of(base) != "test" or base["better"] == base["worse"] or key in seen:
            continue
        seen.add(key)
        texts = variants(base["better"], base["worse"], rng)
        levels = {model: rng.choices(LEVELS, weights=weights)[0] for model, weights in PROFILES.items()}
        candidates = []
        for model, level in levels.items():
            text = texts[level]
            candidates.append({
                "model": model, "decoding_method": "greedy", "text": text,
                "scores": {
                    "rouge1": round(rouge_n(text, base["better"], 1), 6),
                    "rouge2": round(rouge_n(text, base["better"], 2), 6),
                    "bleu": round(bleu(text, base["better"]), 6),
                },
            })
        row = {"id": f"{prefix}-{len(rows):03d}", "instruction": base["instruction"], "input": base["input"],
               "output": base["better"], "candidates": candidates}
        if len(rows) % 2 == 0:
            row["cmp_results"] = {
                f"{a},{b}": ("A is better" if levels[a] > levels[b] else "B is better" if levels[a] < levels[b]
                             else "Same good" if levels[a] >= 2 else "Same bad")
                for a, b in combinations(PROFILES, 2)
            }
        rows.append(row)
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    topics = load_topics()
    seen: set[str] = set()
    OUT.mkdir(parents=True, exist_ok=True)
    write_jsonl(OUT / "mixinstruct-sample.jsonl", make_rows(rng, topics, 40, "sample", seen))
    write_jsonl(OUT / "mixinstruct-dev.jsonl", make_rows(rng, topics, 16, "dev", seen))
    print(f"wrote {OUT / 'mixinstruct-sample.jsonl'} and {OUT / 'mixinstruct-dev.jsonl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
