"""Generates the fuser's rows and their splits (deterministic for a seed).

usage: /usr/bin/python3 tools/synth/fuser_data.py [--seed 1] [--per-family 6000] [--out .cache/synth/fuser-data]

Writes OUT/{train,val,test}.jsonl (rows: family, instruction, input, candidates, target;
fuser_families.py). Split = sha256 of the row's JSON, as data.py does for the ranker: 80%
train, 10% validation, 10% test; training reads train, checkpoint selection validation,
and only export_fuser.py reads test. Identical rows are kept once (a family whose distinct
rows run out stops early: the counts are printed). The families where the answer is a long
span copied from one candidate (relevance, completeness) get ROWS_FACTOR times the rows: a
tiny model needs many more examples to learn to copy names it spells in 5-20 pieces.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.synth.data import SPLITS, load_topics, write_jsonl  # noqa: E402
from tools.synth.fuser_families import FUSER_FAMILIES  # noqa: E402

DEFAULT_OUT = REPO / ".cache/synth/fuser-data"
ROWS_FACTOR = {"relevance": 3, "completeness": 2}  # x --per-family; the other families: x1


def row_key(row: dict) -> str:
    return json.dumps([row["instruction"], row["input"], row["candidates"], row["target"]], ensure_ascii=False)


def split_of(row: dict) -> str:
    bucket = int(hashlib.sha256(row_key(row).encode()).hexdigest()[:8], 16) % 10
    return "test" if bucket == 9 else "val" if bucket == 8 else "train"


def generate(seed: int, per_family: int) -> dict[str, list[dict]]:
    topics = load_topics()
    splits: dict[str, list[dict]] = {s: [] for s in SPLITS}
    seen: set[str] = set()
    for index, (family, make) in enumerate(FUSER_FAMILIES.items()):
        rng = random.Random(seed * 1000 + 500 + index)  # not the ranker's streams
        wanted = per_family * ROWS_FACTOR.get(family, 1)
        made = attempts = 0
        while made < wanted and attempts < wanted * 20:
            attempts += 1
            row = make(rng, topics)
            key = row_key(row)
            if key in seen:
                continue
            seen.add(key)
            splits[split_of(row)].append(row)
            made += 1
    return splits


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-family", type=int, default=6000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    splits = generate(args.seed, args.per_family)
    for name, rows in splits.items():
        write_jsonl(args.out / f"{name}.jsonl", rows)  # type: ignore[arg-type]
        counts = {f: sum(r["family"] == f for r in rows) for f in FUSER_FAMILIES}
        print(f"{name}: {len(rows)} rows {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
