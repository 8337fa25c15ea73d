"""Generates the preference rows and their splits (deterministic for a seed).

usage: /usr/bin/python3 tools/synth/data.py [--seed 1] [--per-family 7000] [--out .cache/synth/data]

Writes OUT/{train,val,test}.jsonl (rows: family, instruction, input, better, worse) and
test/fixtures/synth/heldout.jsonl (HELDOUT_PER_FAMILY test rows per family, for the
vitest accuracy check). Split = sha256 of the row's JSON: 80% train, 10% val, 10% test;
the test split is never read by training or checkpoint selection. Identical rows are
kept once; a question may appear in several splits with different candidates.
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
from tools.synth.families import FAMILIES  # noqa: E402

TOPICS = Path(__file__).resolve().parent / "topics.json"
DEFAULT_OUT = REPO / ".cache/synth/data"
HELDOUT = REPO / "test/fixtures/synth/heldout.jsonl"
HELDOUT_PER_FAMILY = 30
SPLITS = ("train", "val", "test")


def load_topics() -> list[dict[str, str]]:
    return json.loads(TOPICS.read_text())["topics"]


def row_key(row: dict[str, str]) -> str:
    return json.dumps([row["instruction"], row["input"], row["better"], row["worse"]], ensure_ascii=False)


def split_of(row: dict[str, str]) -> str:
    bucket = int(hashlib.sha256(row_key(row).encode()).hexdigest()[:8], 16) % 10
    return "test" if bucket == 9 else "val" if bucket == 8 else "train"


def generate(seed: int, per_family: int) -> dict[str, list[dict[str, str]]]:
    topics = load_topics()
    splits: dict[str, list[dict[str, str]]] = {s: [] for s in SPLITS}
    seen: set[str] = set()
    for index, (family, make) in enumerate(FAMILIES.items()):
        rng = random.Random(seed * 1000 + index)
        made = attempts = 0
        while made < per_family and attempts < per_family * 20:
            attempts += 1
            row = make(rng, topics)
            key = row_key(row)
            if row["better"] == row["worse"] or key in seen:
                continue
            seen.add(key)
            splits[split_of(row)].append(row)
            made += 1
    return splits


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def read_jsonl(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line]


def heldout_sample(test_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    sample = []
    for family in FAMILIES:
        sample += [r for r in test_rows if r["family"] == family][:HELDOUT_PER_FAMILY]
    return sample


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-family", type=int, default=7000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    splits = generate(args.seed, args.per_family)
    for name, rows in splits.items():
        write_jsonl(args.out / f"{name}.jsonl", rows)
        counts = {f: sum(r["family"] == f for r in rows) for f in FAMILIES}
        print(f"{name}: {len(rows)} rows {counts}")
    write_jsonl(HELDOUT, heldout_sample(splits["test"]))
    print(f"{HELDOUT.relative_to(REPO)}: {len(heldout_sample(splits['test']))} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
