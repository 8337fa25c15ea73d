"""Trains the synth ranker: tools/pairrm/model.py (DeBERTa-v2 + PairRM head) at a small size
on the generated preference rows, and writes a PairRM-hf style folder (config.json,
model.safetensors, tokenizer.json, tokenizer_config.json; spm/spm.model for reference ids)
that tools/pairrm/export.py reads.

usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/synth/train_pairrm.py
           [--data .cache/synth/data] [--work .cache/synth/pairrm-hf] [--minutes 30] [--threads 1]

Loss: the reference's pairwise loss, -log sigmoid(logit) with logit = left - right, on both
candidate orders of every row ((better, worse) wants > 0, (worse, better) wants < 0).
Checkpoint selection on the validation split only (pairwise accuracy, both orders, then
loss); the test split is not read here. Meant to be deterministic for a thread count (fixed
seeds, fixed batch order, no time-dependent stopping unless --minutes is given); two full
runs have not been compared (one run is ~40 min of shared CPU here).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import torch
from torch import nn

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.common.safetensors import load_state_dict_strict, read_safetensors, write_safetensors  # noqa: E402
from tools.pairrm.model import PairRM, PairRMConfig  # noqa: E402
from tools.pairrm.model_folder import random_pairrm_architecture, write_json  # noqa: E402
from tools.pairrm.pair_encoding import PairLayout, encode_pair  # noqa: E402
from tools.pairrm.tokenizer import (  # noqa: E402
    SPECIALS, PlainTextEncoder, added_token_ids, pairrm_tokenizer_json, tokenizer_config,
)
from tools.synth.data import DEFAULT_OUT as DEFAULT_DATA, read_jsonl  # noqa: E402
from tools.synth.tokenizer import train_synth_spm  # noqa: E402

# Sizes: every variant of the exported folder (fp32 + fp16 + q8 + q4 + tokenizer) stays
# under 8 MB (measured 6.9 MB, see tools/synth/RESULTS.md).
HIDDEN, LAYERS, HEADS, FFN = 128, 3, 4, 256
POSITION_BUCKETS, MAX_POSITIONS = 32, 128
SOURCE_MAX_LENGTH, CANDIDATE_MAX_LENGTH = 64, 48
SEED = 11
BATCH_ROWS = 32  # rows per step; each gives two ordered pairs
LEARNING_RATE, WEIGHT_DECAY, WARMUP = 1e-3, 0.01, 200
EVAL_EVERY = 400
VAL_ROWS = 1200


def architecture(vocab_size: int, markers: dict[str, int]) -> dict:
    raw = random_pairrm_architecture(
        vocab_size=vocab_size, hidden_size=HIDDEN, layers=LAYERS, heads=HEADS, ffn=FFN,
        position_buckets=POSITION_BUCKETS, max_positions=MAX_POSITIONS, markers=markers,
        extra_ids={"cls_token_id": 1, "mask_token_id": markers["[MASK]"]},
    )
    raw["architectures"] = ["DebertaV2PairRM"]
    raw["synthetic_training"] = "tools/synth: trained on generated preference data, not PairRM"
    return raw


def init_weights(model: PairRM, seed: int) -> None:
    """BERT-style init (normal 0.02, zero biases, unit LayerNorm) from one generator."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * 0.02)
                if isinstance(module, nn.Linear):
                    module.bias.zero_()
            elif isinstance(module, nn.LayerNorm):
                module.weight.fill_(1.0)
                module.bias.zero_()


def encode_rows(rows: list[dict], encode, layout: PairLayout) -> list[tuple[list[int], list[int], str]]:
    """(better-first ids, worse-first ids, family) per row."""
    out = []
    for r in rows:
        forward = encode_pair(encode, layout, r["instruction"], r["input"], r["better"], r["worse"])
        backward = encode_pair(encode, layout, r["instruction"], r["input"], r["worse"], r["better"])
        out.append((forward, backward, r["family"]))
    return out


def pad(rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r)
        mask[i, : len(r)] = 1
    return ids, mask


def pair_logits(model: PairRM, encoded: list[tuple[list[int], list[int], str]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Logits of (better, worse) and of (worse, better) for a batch of rows."""
    ids, mask = pad([e[0] for e in encoded] + [e[1] for e in encoded])
    logits = model(ids, mask).logits
    return logits[: len(encoded)], logits[len(encoded):]


def pairwise_loss(forward: torch.Tensor, backward: torch.Tensor) -> torch.Tensor:
    return -(nn.functional.logsigmoid(forward).mean() + nn.functional.logsigmoid(-backward).mean()) / 2


def length_batches(encoded: list, batch: int, rng: random.Random) -> list[list[int]]:
    """Indices grouped by similar length (less padding), batches in shuffled order."""
    order = list(range(len(encoded)))
    rng.shuffle(order)
    chunks = [order[i : i + batch * 50] for i in range(0, len(order), batch * 50)]
    batches = []
    for chunk in chunks:
        chunk.sort(key=lambda i: len(encoded[i][0]))
        batches += [chunk[i : i + batch] for i in range(0, len(chunk), batch)]
    rng.shuffle(batches)
    return batches


@torch.no_grad()
def evaluate(model: PairRM, encoded: list, batch: int = 64) -> dict[str, float]:
    """Pairwise accuracy over both orders (each order counts once), overall and per family."""
    model.eval()
    correct: dict[str, list[int]] = {}
    loss_sum = 0.0
    for start in range(0, len(encoded), batch):
        chunk = encoded[start : start + batch]
        forward, backward = pair_logits(model, chunk)
        loss_sum += pairwise_loss(forward, backward).item() * len(chunk)
        for (_, _, family), f, b in zip(chunk, forward.tolist(), backward.tolist()):
            correct.setdefault(family, [0, 0])
            correct[family][0] += int(f > 0) + int(b < 0)
            correct[family][1] += 2
    result = {f: c / n for f, (c, n) in sorted(correct.items())}
    result["overall"] = sum(c for c, _ in correct.values()) / sum(n for _, n in correct.values())
    result["loss"] = loss_sum / len(encoded)
    model.train()
    return result


def learning_rate(step: int, total: int, peak: float) -> float:
    if step < WARMUP:
        return peak * (step + 1) / WARMUP
    progress = min(1.0, (step - WARMUP) / max(1, total - WARMUP))
    return peak * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=REPO / ".cache/synth/pairrm-hf")
    parser.add_argument("--steps", type=int, default=2200)
    parser.add_argument("--minutes", type=float, default=0, help="stop early after this wall time (0: no limit; "
                        "makes the result depend on machine speed)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--init-from", type=Path, default=None,
                        help="start from this folder's model.safetensors (a second phase) instead of fresh weights")
    parser.add_argument("--repeat", default="", help="e.g. relevance=2,arithmetic=2: repeat those families' "
                        "training rows (oversampling)")
    parser.add_argument("--learning-rate", type=float, default=LEARNING_RATE)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)

    train_rows = read_jsonl(args.data / "train.jsonl")
    val_rows = read_jsonl(args.data / "val.jsonl")
    proto = train_synth_spm(train_rows, work / "spm")  # work/spm/spm.model: the goldens' reference ids
    assert [p.piece for p in proto.pieces[: len(SPECIALS)]] == list(SPECIALS)
    added = added_token_ids(proto)
    write_json(work / "tokenizer.json", pairrm_tokenizer_json(proto), compact=True)
    write_json(work / "tokenizer_config.json", tokenizer_config(SOURCE_MAX_LENGTH + 2 * CANDIDATE_MAX_LENGTH))
    raw = architecture(len(proto.pieces) + len(added), added)
    write_json(work / "config.json", raw)
    layout = PairLayout(1, 2, added["<|source|>"], added["<|candidate1|>"], added["<|candidate2|>"],
                        SOURCE_MAX_LENGTH, CANDIDATE_MAX_LENGTH)
    encode = PlainTextEncoder(proto)
    repeats = {k: int(v) for k, v in (item.split("=") for item in args.repeat.split(",") if item)}
    train_rows = [r for r in train_rows for _ in range(repeats.get(r["family"], 1))]
    train = encode_rows(train_rows, encode, layout)
    val_rng = random.Random(SEED)
    val = encode_rows(val_rng.sample(val_rows, min(VAL_ROWS, len(val_rows))), encode, layout)
    print(f"train {len(train)} rows, val {len(val)} rows; vocab {raw['vocab_size']}", flush=True)

    model = PairRM(PairRMConfig.from_dict(raw))
    init_weights(model, SEED)
    if args.init_from is not None:
        load_state_dict_strict(model, read_safetensors(args.init_from / "model.safetensors"))
    model.train()
    print(f"parameters: {sum(p.numel() for p in model.parameters())}", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "embeddings" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "embeddings" not in n)]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=LEARNING_RATE)
    rng = random.Random(SEED)
    batches: list[list[int]] = []
    best: tuple[float, float] = (-1.0, 0.0)
    best_step, best_state, history = -1, None, []
    started = time.time()
    running = 0.0
    for step in range(args.steps):
        if not batches:
            batches = length_batches(train, BATCH_ROWS, rng)
        chunk = [train[i] for i in batches.pop()]
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, args.steps, args.learning_rate)
        forward, backward = pair_logits(model, chunk)
        loss = pairwise_loss(forward, backward)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        last = step == args.steps - 1 or (args.minutes and time.time() - started > args.minutes * 60)
        if (step + 1) % EVAL_EVERY == 0 or last:
            scores = evaluate(model, val)
            history.append({"step": step + 1, **{k: round(v, 4) for k, v in scores.items()}})
            key = (scores["overall"], -scores["loss"])
            mark = ""
            if key > best:
                best, best_step, mark = key, step + 1, " *"
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            print(f"step {step + 1} ({time.time() - started:.0f} s) train loss {running:.4f} val "
                  + " ".join(f"{k} {v:.4f}" for k, v in scores.items()) + mark, flush=True)
        if last:
            break
    assert best_state is not None
    write_safetensors(work / "model.safetensors", best_state)
    (work / "training.json").write_text(json.dumps({
        "selected_step": best_step, "selection": "best validation accuracy (both orders), then loss",
        "seconds": round(time.time() - started), "threads": args.threads, "steps": args.steps,
        "init_from": str(args.init_from) if args.init_from else None, "repeat": args.repeat,
        "learning_rate": args.learning_rate, "history": history,
    }, indent=1) + "\n")
    print(f"selected step {best_step} (val accuracy {best[0]:.4f}); wrote {work / 'model.safetensors'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
