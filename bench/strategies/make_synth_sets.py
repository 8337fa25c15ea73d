"""Candidate sets for the "Ranking on a budget" benchmark, from the synthetic ranker's test split.

usage: /usr/bin/python3 bench/strategies/make_synth_sets.py [--per-n 30] [--out bench/strategies/synth-sets.json]

Regenerates the rows exactly as tools/synth/data.py does (seed 1, 7000 per family) and keeps
only the test split, which training and checkpoint selection never read. Rows are grouped by
question (family, instruction, input). A set of N candidates is one right answer (a text that
is some row's better answer and never a worse one for that question) plus N - 1 weaker ones:
first the question's own wrong answers (near misses, cut-off answers, other topics, colder
replies), then, when the question has too few, right answers to other questions of the same
family (answers to something else). Deterministic: same arguments, same file.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.synth.data import generate  # noqa: E402
from tools.synth.families import FAMILIES  # noqa: E402

SIZES = (4, 8, 16, 32)


def groups_of(rows: list[dict[str, str]]) -> dict[str, list[dict]]:
    """Per family: questions with their right and wrong answers (sorted, for determinism)."""
    by_question: dict[tuple[str, str, str], dict[str, set[str]]] = defaultdict(lambda: {"better": set(), "worse": set()})
    for row in rows:
        key = (row["family"], row["instruction"], row["input"])
        by_question[key]["better"].add(row["better"])
        by_question[key]["worse"].add(row["worse"])
    families: dict[str, list[dict]] = defaultdict(list)
    for (family, instruction, input_text), texts in sorted(by_question.items()):
        right = sorted(texts["better"] - texts["worse"])
        if right:
            families[family].append({"instruction": instruction, "input": input_text, "right": right, "wrong": sorted(texts["worse"])})
    return families


def make_set(rng: random.Random, question: dict, family_questions: list[dict], n: int) -> dict:
    right = rng.choice(question["right"])
    own = [t for t in question["wrong"] if t != right]
    rng.shuffle(own)
    weaker = own[: n - 1]
    others = sorted({t for q in family_questions if q is not question for t in q["right"]} - set(question["right"]) - set(weaker))
    padded = rng.sample(others, n - 1 - len(weaker)) if len(weaker) < n - 1 else []
    candidates = [right, *weaker, *padded]
    rng.shuffle(candidates)
    return {
        "instruction": question["instruction"],
        "input": question["input"],
        "candidates": candidates,
        "right": candidates.index(right),
        "ownWrong": len(weaker),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-n", type=int, default=30, help="sets per N, spread over the five families")
    parser.add_argument("--out", type=Path, default=REPO / "bench/strategies/synth-sets.json")
    args = parser.parse_args()
    families = groups_of(generate(1, 7000)["test"])
    rng = random.Random(2024)
    sets: dict[str, list[dict]] = {}
    for n in SIZES:
        chosen = []
        for k in range(args.per_n):
            family = list(FAMILIES)[k % len(FAMILIES)]
            questions = families[family]
            # Questions with the most wrong answers of their own first, then drawn at random.
            ranked = sorted(questions, key=lambda q: (-len(q["wrong"]), q["input"]))
            pool = ranked[: max(10, len(ranked) // 10)]
            chosen.append({"family": family, **make_set(rng, rng.choice(pool), questions, n)})
        sets[str(n)] = chosen
    meta = {"source": "tools/synth/data.py generate(seed 1, 7000 per family), test split", "generator": "bench/strategies/make_synth_sets.py"}
    args.out.write_text(json.dumps({**meta, "sets": sets}, ensure_ascii=False, indent=1) + "\n")
    for n, chosen in sets.items():
        own = sum(s["ownWrong"] for s in chosen) / len(chosen)
        print(f"N={n}: {len(chosen)} sets, {own:.1f} of {int(n) - 1} weaker answers on average are the question's own wrong answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
