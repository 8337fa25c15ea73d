"""Candidate sets for the "Ranking on a budget" benchmark, from the synthetic ranker's test split.

usage: /usr/bin/python3 bench/strategies/make_synth_sets.py [--per-n 30] [--out bench/strategies/synth-sets.json]

Regenerates the rows exactly as tools/synth/data.py does (seed 1, 7000 per family) and takes
questions and their right answers from the test split only (the rows training and checkpoint
selection never read). Around each right answer it builds the weaker candidates the way the
family builds its own wrong answers (tools/synth/families.py), in two grades:

- grade 1, near misses: the number off by 1-3 (or the row's own wrong value); the answer
  about another topic of the same kind; the answer cut short (the longer cuts); a numbered
  list one item too long or short, or the right items as a sentence; a neutral reply;
- grade 2, further off: the number off by more; another kind of topic; shorter cuts, or
  another topic's full answer; lists two or more items off, or other items as a sentence; a
  hostile or dismissive reply.

A set of N is the right answer, about half its N - 1 weaker answers from grade 1 and the rest
from grade 2 (topped up from the other grade when one runs short), so every set at every N
holds distinct answers to the same question of graded quality, not answers to other
questions. Candidates that are near-duplicates of one already taken (the same words up to
case and punctuation, or a word-set Jaccard similarity of 0.8 or more) are skipped. Only the
question kinds that can supply 31 distinct weaker answers are used: arithmetic and unit
questions (not yes/no), relevance, completeness, numbered lists and "name exactly n" (format),
and politeness rows whose right answer is a warm or helpful reply. Each candidate's grade is
written with the set. Deterministic: same arguments, same file.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Callable, Optional

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.synth import families as F  # noqa: E402
from tools.synth.data import generate, load_topics  # noqa: E402

SIZES = (4, 8, 16, 32)
MAX_N = max(SIZES)
NEAR_DUPLICATE_JACCARD = 0.8

Grades = tuple[list[str], list[str]]  # (grade 1, grade 2), best-first within each


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def near_duplicate(text: str, taken: list[str]) -> bool:
    mine = set(words(text))
    for other in taken:
        theirs = set(words(other))
        if words(text) == words(other):
            return True
        union = mine | theirs
        if union and len(mine & theirs) / len(union) >= NEAR_DUPLICATE_JACCARD:
            return True
    return False


# ------------------------------------------------------------------ per family: the weaker answers
def arithmetic(row: dict, _rng: random.Random, _topics: list[dict]) -> Optional[Grades]:
    if row["instruction"].startswith("Answer yes or no"):
        return None
    right = row["better"]
    found = list(re.finditer(r"\d+", right))
    if not found:
        return None
    last = found[-1]
    value = int(last.group())
    with_value = lambda v: right[: last.start()] + str(v) + right[last.end():]  # noqa: E731
    own = re.findall(r"\d+", row["worse"])
    own_value = int(own[-1]) if own else None
    near = [v for d in (1, -1, 2, -2, 3, -3) if (v := value + d) >= 0]
    if own_value is not None and own_value != value and own_value not in near:
        near.insert(0, own_value)
    far = [v for d in range(4, 60) for v in (value + d, value - d) if v >= 0 and v not in near and v != value]
    return [with_value(v) for v in near], [with_value(v) for v in far]


def _short(topic: dict) -> str:
    return topic["short"][0].lower() + topic["short"][1:]


RELEVANCE_ANSWERS = ("Use {n}: it can {d}.", "Try {n}, which can {d}.", "{n} can {d}.")


def relevance(row: dict, rng: random.Random, topics: list[dict]) -> Optional[Grades]:
    right = row["better"]
    for topic in topics:
        if F.describe(topic) == right:
            make: Callable[[dict], str] = F.describe
            break
        template = next((t for t in RELEVANCE_ANSWERS if t.format(n=topic["name"], d=_short(topic)) == right), None)
        if template is not None:
            make = lambda o, t=template: t.format(n=o["name"], d=_short(o))  # noqa: E731
            break
    else:
        return None
    others = [o for o in topics if o is not topic]
    rng.shuffle(others)
    same_kind = [make(o) for o in others if o["kind"] == topic["kind"]]
    other_kind = [make(o) for o in others if o["kind"] != topic["kind"]]
    return same_kind[:MAX_N], other_kind[:MAX_N]


def _cuts(text: str) -> list[str]:
    """The text cut after 1 .. len-1 words, longest first (as families.cut cuts it)."""
    parts = text.split()
    return [" ".join(parts[:keep]).rstrip(".,:;") for keep in range(len(parts) - 1, 0, -1)]


def completeness(row: dict, rng: random.Random, topics: list[dict]) -> Optional[Grades]:
    right = row["better"]
    for items in F.SEQUENCES.values():
        if items in right:
            template = right.replace(items, "{i}")
            parts = items.split(", ")
            prefixes = [template.format(i=", ".join(parts[:keep])) for keep in range(len(parts) - 1, 0, -1)]
            others = [template.format(i=o) for o in F.SEQUENCES.values() if o != items]
            other_prefixes = [template.format(i=", ".join(o.split(", ")[:k])) for o in F.SEQUENCES.values() if o != items
                              for k in range(len(o.split(", ")) - 1, 1, -1)]
            half = (len(prefixes) + 1) // 2
            return prefixes[:half], prefixes[half:] + others + other_prefixes
    for topic in topics:
        if right.startswith(F.describe(topic) + " "):
            cuts = _cuts(right)
            half = (len(cuts) + 1) // 2
            others = [o for o in topics if o is not topic]
            rng.shuffle(others)
            full = [F.describe(o) + (f" {o['detail']}" if o["detail"] else " It is installed on this system.") for o in others]
            return cuts[:half], cuts[half:] + full[:MAX_N]
    return None


def _category_of(items: list[str]) -> Optional[tuple[str, tuple[str, ...]]]:
    return next(((c, pool) for c, pool in F.CATEGORIES.items() if all(i in pool for i in items)), None)


def format_(row: dict, rng: random.Random, _topics: list[dict]) -> Optional[Grades]:
    right = row["better"]
    numbered = re.fullmatch(r"1\. .*", right)
    items = re.split(r"\s*\d+\.\s*", right)[1:] if numbered else right.split()
    found = _category_of(items)
    if found is None or not (numbered or row["input"].startswith(("Name exactly", "Answer with"))):
        return None
    _category, pool = found
    n = len(items)
    as_list = lambda xs: " ".join(f"{i + 1}. {x}" for i, x in enumerate(xs)) if numbered else " ".join(xs)  # noqa: E731
    draws = lambda count: [rng.sample(pool, count) for _ in range(12)]  # noqa: E731
    near: list[str] = []
    far: list[str] = []
    if numbered:
        near.append(", ".join(items[:-1]) + f" and {items[-1]}." if n > 1 else f"{items[0]}.")
    for count in (n + 1, n - 1):
        if 1 <= count <= len(pool):
            near += [as_list(items[:count] if count < n else items + [x for x in d if x not in items][: count - n]) for d in draws(count)]
    for count in (n + 2, n + 3, n + 4, n - 2, n - 3):
        if 1 <= count <= len(pool):
            far += [as_list(d) for d in draws(count)]
    if numbered:
        far += [", ".join(d[:-1]) + f" and {d[-1]}." for d in draws(n) if set(d) != set(items)]
    else:
        far += [" ".join(f"{i + 1}. {x}" for i, x in enumerate(d)) for d in draws(n + 1)]
    return near, far


def politeness(row: dict, _rng: random.Random, _topics: list[dict]) -> Optional[Grades]:
    right = row["better"].lower()
    asks_help = any(row["input"].lower() == ask.format(t=task).lower() for task in F.HELP_TASKS for ask in F.HELP_ASK)
    warm = (*F.AFFECTION_WARM, *F.PLAIN_WARM, *F.THANKS_WARM)
    if not asks_help and not (right in warm or any(right.startswith(h) for h in F.WARM_HEADS)):
        return None
    if asks_help and any(right.endswith(a.lower()) for a in F.HELP_TASKS.values()) is False:
        return None
    far = (list(F.DISMISSIVE) if asks_help else []) + list(F.HOSTILE)
    return list(F.NEUTRAL), [t for t in far if t not in F.README_CANDIDATES]


BUILDERS: dict[str, Callable[[dict, random.Random, list[dict]], Optional[Grades]]] = {
    "arithmetic": arithmetic,
    "relevance": relevance,
    "completeness": completeness,
    "format": format_,
    "politeness": politeness,
}


def make_set(rng: random.Random, row: dict, grades: Grades, n: int) -> Optional[dict]:
    right = row["better"]
    taken = [right]
    picked: list[tuple[str, int]] = []
    pools = [[t for t in grades[0]], [t for t in grades[1]]]
    want = [(n - 1 + 1) // 2, (n - 1) // 2]

    def take(grade: int, count: int) -> None:
        for text in pools[grade]:
            if count == 0:
                return
            if text == right or near_duplicate(text, taken):
                continue
            taken.append(text)
            picked.append((text, grade + 1))
            count -= 1
        pools[grade] = [t for t in pools[grade] if t not in taken]

    take(0, want[0])
    take(1, n - 1 - len(picked))
    take(0, n - 1 - len(picked))
    if len(picked) < n - 1:
        return None
    candidates = [(right, 0), *picked]
    rng.shuffle(candidates)
    return {
        "instruction": row["instruction"],
        "input": row["input"],
        "candidates": [c for c, _ in candidates],
        "grades": [g for _, g in candidates],
        "right": [g for _, g in candidates].index(0),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-n", type=int, default=30, help="sets per N, spread over the five families")
    parser.add_argument("--out", type=Path, default=REPO / "bench/strategies/synth-sets.json")
    args = parser.parse_args()
    topics = load_topics()
    by_family: dict[str, dict[tuple[str, str, str], dict]] = defaultdict(dict)
    for row in generate(1, 7000)["test"]:
        by_family[row["family"]].setdefault((row["instruction"], row["input"], row["better"]), row)
    rng = random.Random(2024)
    sets: dict[str, list[dict]] = {}
    for n in SIZES:
        chosen: list[dict] = []
        for k in range(args.per_n):
            family = list(F.FAMILIES)[k % len(F.FAMILIES)]
            rows = sorted(by_family[family].values(), key=lambda r: (r["instruction"], r["input"], r["better"]))
            used = {(s["instruction"], s["input"]) for s in chosen}
            for _ in range(2000):
                row = rng.choice(rows)
                if (row["instruction"], row["input"]) in used:
                    continue
                grades = BUILDERS[family](row, rng, topics)
                made = make_set(rng, row, grades, n) if grades else None
                if made:
                    chosen.append({"family": family, **made})
                    break
            else:
                raise SystemExit(f"no {family} question supplies {n} distinct candidates")
        sets[str(n)] = chosen
    meta = {
        "source": "tools/synth/data.py generate(seed 1, 7000 per family), test split: questions and right answers",
        "generator": "bench/strategies/make_synth_sets.py",
        "grades": "0 = the right answer, 1 = near miss, 2 = further off (see the generator)",
    }
    args.out.write_text(json.dumps({**meta, "sets": sets}, ensure_ascii=False, indent=1) + "\n")
    for n, chosen in sets.items():
        g1 = sum(s["grades"].count(1) for s in chosen) / len(chosen)
        print(f"N={n}: {len(chosen)} sets, on average {g1:.1f} near misses and {int(n) - 1 - g1:.1f} further-off answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
