"""Test-split figures of an exported synth ranker folder:

- accuracy: pairwise, both candidate orders (each order counts once), per family and
  overall, for the PyTorch weights and for every ONNX variant (onnxruntime-node);
- each variant vs the fp32 graph: sign agreement over every ordered test pair, max |dlogit|;
- rank agreement: test questions with >= 3 distinct candidates (up to 4) in the test split
  are ranked with the reference's "full" strategy and max_logits aggregation (docs/reference.md
  §3) from each variant's logits; share of questions whose rank vector equals
  fp32's, and whose top-1 does.

Reads the test split only after training and selection are done.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from tools.pairrm.agreement import VARIANT_FILES, run_logits
from tools.pairrm.model import PairRM
from tools.pairrm.pair_encoding import PairLayout, PlainEncoder, encode_pair

RANK_GROUP_SIZE = 4
MAX_RANK_GROUPS = 150
ONNX_BATCH = 256


def ordered_rows(rows: list[dict], encode: PlainEncoder, layout: PairLayout) -> tuple[list[list[int]], list[str]]:
    """(better, worse) rows then (worse, better) rows, and each row's family."""
    forward = [encode_pair(encode, layout, r["instruction"], r["input"], r["better"], r["worse"]) for r in rows]
    backward = [encode_pair(encode, layout, r["instruction"], r["input"], r["worse"], r["better"]) for r in rows]
    return forward + backward, [r["family"] for r in rows] * 2


def accuracy(logits: np.ndarray, families: list[str]) -> dict[str, float]:
    """logits of ordered_rows: the first half wants > 0, the second half < 0."""
    half = len(logits) // 2
    right = np.concatenate([logits[:half] > 0, logits[half:] < 0])
    result = {f: float(right[[x == f for x in families]].mean()) for f in sorted(set(families))}
    result["overall"] = float(right.mean())
    return result


def batched_logits(path: Path, rows: list[list[int]], pad_id: int) -> np.ndarray:
    """Logits in row order; rows run in length-sorted batches (padding never changes a logit)."""
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    sorted_logits = run_logits(path, [rows[i] for i in order], pad_id, batch=ONNX_BATCH)
    out = np.empty(len(rows), dtype=np.float32)
    out[order] = sorted_logits
    return out


@torch.no_grad()
def torch_logits(model: PairRM, rows: list[list[int]], pad_id: int, batch: int = 128) -> np.ndarray:
    from tools.pairrm.agreement import pad_rows

    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    out = np.empty(len(rows), dtype=np.float32)
    for start in range(0, len(order), batch):
        index = order[start : start + batch]
        ids, mask = pad_rows([rows[i] for i in index], pad_id)
        out[index] = model(torch.from_numpy(ids), torch.from_numpy(mask)).logits.numpy()
    return out


def rank_groups(rows: list[dict]) -> list[tuple[str, str, list[str]]]:
    """(instruction, input, candidates) for test questions with >= 3 distinct candidates."""
    by_source: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        candidates = by_source.setdefault((r["instruction"], r["input"]), [])
        for text in (r["better"], r["worse"]):
            if text not in candidates and len(candidates) < RANK_GROUP_SIZE:
                candidates.append(text)
    groups = [(i, s, c) for (i, s), c in by_source.items() if len(c) >= 3]
    return groups[:MAX_RANK_GROUPS]


def ranks_from_matrix(matrix: np.ndarray) -> list[int]:
    """max_logits: score_i = (1/N) sum_j (M[i][j] - M[j][i]); rank = 1 + first index of the
    score in the descending order (ties share the best rank)."""
    n = matrix.shape[0]
    scores = (matrix.sum(axis=1) - matrix.sum(axis=0)) / n
    ordered = sorted(scores.tolist(), reverse=True)
    return [1 + ordered.index(s) for s in scores.tolist()]


def group_rows(groups: list[tuple[str, str, list[str]]], encode: PlainEncoder, layout: PairLayout):
    rows, where = [], []
    for g, (instruction, input_text, candidates) in enumerate(groups):
        for i, a in enumerate(candidates):
            for j, b in enumerate(candidates):
                if i != j:
                    rows.append(encode_pair(encode, layout, instruction, input_text, a, b))
                    where.append((g, i, j))
    return rows, where


def group_ranks(logits: np.ndarray, groups, where) -> list[list[int]]:
    matrices = [np.zeros((len(c), len(c)), dtype=np.float64) for _, _, c in groups]
    for value, (g, i, j) in zip(logits.tolist(), where):
        matrices[g][i, j] = value
    return [ranks_from_matrix(m) for m in matrices]


def agreement_vs_fp32(logits: np.ndarray, ranks: list[list[int]], reference: np.ndarray,
                      reference_ranks: list[list[int]]) -> dict[str, float]:
    """A variant against the fp32 graph on the test split: sign agreement over the ordered
    pairs, the largest logit difference, and same ranks / same top-1 over the rank questions."""
    questions = len(reference_ranks)
    return {
        "sign_agreement_pct": round(float(np.mean(np.sign(logits) == np.sign(reference))) * 100, 2),
        "max_abs_dlogit": float(f"{float(np.abs(logits - reference).max()):.3g}"),
        "rank_agreement_pct": round(100 * sum(a == b for a, b in zip(ranks, reference_ranks)) / questions, 2),
        "top1_agreement_pct": round(100 * sum(a.index(1) == b.index(1) for a, b in zip(ranks, reference_ranks))
                                    / questions, 2),
    }


def evaluate_folder(model: PairRM, folder: Path, test_rows: list[dict], encode: PlainEncoder, config: dict) -> dict:
    layout = PairLayout.from_config(config)
    pad_id = config["pad_token_id"]
    rows, families = ordered_rows(test_rows, encode, layout)
    groups = rank_groups(test_rows)
    g_rows, where = group_rows(groups, encode, layout)
    result: dict = {"test_rows": len(test_rows), "ordered_pairs": len(rows), "rank_questions": len(groups),
                    "accuracy": {"pytorch": accuracy(torch_logits(model, rows, pad_id), families)}}
    reference = reference_ranks = None
    variants: dict[str, dict] = {}
    for variant, name in VARIANT_FILES.items():
        path = Path(folder) / "onnx" / name
        if not path.exists():
            continue
        logits = batched_logits(path, rows, pad_id)
        ranks = group_ranks(batched_logits(path, g_rows, pad_id), groups, where)
        result["accuracy"][variant] = accuracy(logits, families)
        if variant == "fp32":
            reference, reference_ranks = logits, ranks
            continue
        assert reference is not None and reference_ranks is not None
        variants[variant] = agreement_vs_fp32(logits, ranks, reference, reference_ranks)
    result["vs_fp32"] = variants
    return result


def results_markdown(result: dict, training: dict, sizes: dict[str, int]) -> str:
    families = [k for k in result["accuracy"]["pytorch"] if k != "overall"] + ["overall"]
    lines = [
        "# Synth ranker: measured figures",
        "",
        "Written by `tools/synth/export_pairrm.py` (`npm run models:train`); do not edit by hand.",
        f"Test split: {result['test_rows']} rows = {result['ordered_pairs']} ordered pairs (both candidate "
        "orders, each counted once). Never read by training or checkpoint selection.",
        f"Training: {training.get('seconds', '?')} s on {training.get('threads', '?')} thread(s), checkpoint of step "
        f"{training.get('selected_step', '?')} selected on the validation split.",
        "",
        "## Pairwise accuracy on the test split (%)",
        "",
        "| model | " + " | ".join(families) + " |",
        "| --- | " + " | ".join("---:" for _ in families) + " |",
    ]
    for name, scores in result["accuracy"].items():
        lines.append(f"| {name} | " + " | ".join(f"{100 * scores[f]:.2f}" for f in families) + " |")
    lines += [
        "",
        "## Variants vs the fp32 graph on the test split",
        "",
        f"Sign agreement over the {result['ordered_pairs']} ordered pairs; rank agreement over "
        f"{result['rank_questions']} test questions with 3-4 distinct candidates (full strategy, max_logits).",
        "",
        "| variant | sign agreement % | max abs dlogit | same ranks % | same top-1 % |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for variant, v in result["vs_fp32"].items():
        lines.append(f"| {variant} | {v['sign_agreement_pct']:.2f} | {v['max_abs_dlogit']} | "
                     f"{v['rank_agreement_pct']:.2f} | {v['top1_agreement_pct']:.2f} |")
    lines += ["", "## Folder size (bytes)", "", "| file | bytes |", "| --- | ---: |"]
    lines += [f"| {name} | {size} |" for name, size in sizes.items()]
    return "\n".join(lines) + "\n"
