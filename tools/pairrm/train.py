"""Fine-tunes a PairRM checkpoint in the Hugging Face layout (the real `llm-blender/PairRM-hf`
folder, or a tiny/synthetic one) on MixInstruct-format data, with LLM-Blender's pairwise
recipe, and writes a checkpoint in the same layout for tools/pairrm/export.py.

usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/pairrm/train.py CHECKPOINT TRAIN --dev DEV --out OUT
           [--metrics rouge1,rouge2,bleu | --labels cmp_results] [--epochs 1] [--max-train-size N]
           [--max-steps N] [--pairs-per-row 4] [--batch-pairs 8] [--grad-accum 1] [--learning-rate 1e-5]
           [--warmup 0.05] [--seed 42] [--source-max-length 1224] [--candidate-max-length 412]
           [--device cpu|cuda] [--threads N]

Pairs (tools/pairrm/train_pairs.py): labelled by the mean of --metrics (the reference's training
script takes rouge1,rouge2,bleu by name) or by the rows' cmp_results. Loss: the reference's
pairwise loss on both candidate orders, -log σ(logit(better, worse)) and -log σ(-logit(worse,
better)), averaged (logit = left - right, as the exported graph gives). AdamW, linear warm-up
then linear decay, gradient clipping 1.0. The dev file is evaluated before training and after
each epoch (loss and pairwise accuracy over both orders, on every dev pair); the checkpoint
with the lowest dev loss is written (`training.json` holds the history).

Encoding is the engine's pair rule (tools/pairrm/pair_encoding.py) with the checkpoint's
sentencepiece model (`spm.model`, or `spm/spm.model`), so the fine-tuned model sees at
training time exactly the rows it will see in the engine. On a GPU (`--device cuda`) the real
PairRM (435M parameters, rows up to 2048 tokens) fits in ~24 GB with --batch-pairs 2
--grad-accum 8 (both orders of 2 pairs = 4 rows per forward); that has not been run here.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import torch
from torch import nn

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tools.common.safetensors import write_safetensors  # noqa: E402
from tools.pairrm.model import PairRM, load_config, load_pairrm  # noqa: E402
from tools.pairrm.model_folder import pairrm_config  # noqa: E402
from tools.pairrm.pair_encoding import PairLayout, encode_pair  # noqa: E402
from tools.pairrm.tokenizer import PlainTextEncoder, load_proto  # noqa: E402
from tools.pairrm.train_pairs import Pair, dataset_pairs, read_rows  # noqa: E402

TOKENIZER_FILES = ("spm.model", "added_tokens.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json")


def find_spm(checkpoint: Path) -> Path:
    for path in (checkpoint / "spm.model", checkpoint / "spm" / "spm.model"):
        if path.exists():
            return path
    raise SystemExit(f"{checkpoint}: no spm.model (or spm/spm.model); the pair rule's ids come from sentencepiece")


Encoded = tuple[list[int], list[int]]


def encode(pairs: list[Pair], encoder, layout: PairLayout) -> list[Encoded]:
    """(better-first ids, worse-first ids) per pair."""
    return [(encode_pair(encoder, layout, p.instruction, p.input, p.better, p.worse),
             encode_pair(encoder, layout, p.instruction, p.input, p.worse, p.better)) for p in pairs]


def pad(rows: list[list[int]], pad_id: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r)
        mask[i, : len(r)] = 1
    return ids.to(device), mask.to(device)


def pair_loss(model: PairRM, batch: list[Encoded], pad_id: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The loss over both orders, and the logits of (better, worse) and (worse, better)."""
    ids, mask = pad([b[0] for b in batch] + [b[1] for b in batch], pad_id, device)
    logits = model(ids, mask).logits.float()
    forward, backward = logits[: len(batch)], logits[len(batch):]
    loss = -(nn.functional.logsigmoid(forward).mean() + nn.functional.logsigmoid(-backward).mean()) / 2
    return loss, forward, backward


@torch.no_grad()
def evaluate(model: PairRM, encoded: list[Encoded], pad_id: int, device: torch.device, batch: int) -> dict[str, float]:
    model.eval()
    loss_sum, correct = 0.0, 0
    for start in range(0, len(encoded), batch):
        chunk = encoded[start : start + batch]
        loss, forward, backward = pair_loss(model, chunk, pad_id, device)
        loss_sum += loss.item() * len(chunk)
        correct += int((forward > 0).sum().item() + (backward < 0).sum().item())
    model.train()
    return {"loss": loss_sum / len(encoded), "accuracy": correct / (2 * len(encoded))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("train", type=Path)
    parser.add_argument("--dev", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    labels = parser.add_mutually_exclusive_group()
    labels.add_argument("--metrics", default="rouge1,rouge2,bleu", help="label pairs by the mean of these candidate scores")
    labels.add_argument("--labels", choices=["cmp_results"], help="label pairs by the rows' cmp_results instead")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--max-train-size", type=int, default=None, help="rows of TRAIN used (after a seeded shuffle)")
    parser.add_argument("--max-steps", type=int, default=None, help="stop after this many optimizer steps")
    parser.add_argument("--pairs-per-row", type=int, default=4, help="training pairs drawn per row (dev uses all)")
    parser.add_argument("--batch-pairs", type=int, default=8, help="pairs per forward (each in both orders)")
    parser.add_argument("--grad-accum", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=1e-5)
    parser.add_argument("--warmup", type=float, default=0.05, help="share of the steps spent warming up")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--source-max-length", type=int, default=1224)
    parser.add_argument("--candidate-max-length", type=int, default=412)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    device = torch.device(args.device)
    metrics = None if args.labels == "cmp_results" else tuple(m for m in args.metrics.split(",") if m)

    raw = load_config(args.checkpoint)
    config = pairrm_config(raw, args.source_max_length, args.candidate_max_length)
    layout = PairLayout.from_config(config)
    encoder = PlainTextEncoder(load_proto(find_spm(args.checkpoint)))
    model = load_pairrm(args.checkpoint).to(device)
    model.train()

    train_rows = read_rows(args.train)
    rng.shuffle(train_rows)
    if args.max_train_size is not None:
        train_rows = train_rows[: args.max_train_size]
    try:
        train = encode(dataset_pairs(train_rows, metrics, args.pairs_per_row, rng), encoder, layout)
        dev = encode(dataset_pairs(read_rows(args.dev), metrics, None, rng), encoder, layout)
    except (ValueError, KeyError) as error:  # a row without the metric, text or input asked for
        raise SystemExit(f"bad training data: {error!r}") from None
    if not train or not dev:
        raise SystemExit(f"no labelled pairs (train {len(train)}, dev {len(dev)}): check --metrics / --labels against the data")
    steps_per_epoch = -(-len(train) // (args.batch_pairs * args.grad_accum))
    total_steps = min(steps_per_epoch * args.epochs, args.max_steps or 10**12)
    warmup = max(1, int(total_steps * args.warmup))
    print(f"train {len(train_rows)} rows -> {len(train)} pairs, dev {len(dev)} pairs; {total_steps} steps on {device}", flush=True)

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "embeddings" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "embeddings" not in n)]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=args.learning_rate)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: (step + 1) / warmup if step < warmup else max(0.0, (total_steps - step) / max(1, total_steps - warmup)))
    pad_id = config["pad_token_id"]
    started = time.time()
    history = [{"epoch": 0, "step": 0, **evaluate(model, dev, pad_id, device, args.batch_pairs * 2)}]
    print(f"epoch 0: dev loss {history[0]['loss']:.4f} accuracy {history[0]['accuracy']:.4f}", flush=True)
    best_loss, best_state = history[0]["loss"], None
    step = 0
    for epoch in range(1, args.epochs + 1):
        order = list(range(len(train)))
        rng.shuffle(order)
        batches = [order[i : i + args.batch_pairs] for i in range(0, len(order), args.batch_pairs)]
        for index, batch in enumerate(batches):
            loss, _, _ = pair_loss(model, [train[i] for i in batch], pad_id, device)
            (loss / args.grad_accum).backward()
            if (index + 1) % args.grad_accum == 0 or index == len(batches) - 1:
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                schedule.step()
                optimizer.zero_grad()
                step += 1
                if step >= total_steps:
                    break
        scores = evaluate(model, dev, pad_id, device, args.batch_pairs * 2)
        history.append({"epoch": epoch, "step": step, **scores})
        mark = ""
        if scores["loss"] < best_loss:
            best_loss, mark = scores["loss"], " *"
            best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        print(f"epoch {epoch} (step {step}, {time.time() - started:.0f} s): dev loss {scores['loss']:.4f} "
              f"accuracy {scores['accuracy']:.4f}{mark}", flush=True)
        if step >= total_steps:
            break

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.checkpoint / "config.json", out / "config.json")
    spm = find_spm(args.checkpoint)
    shutil.copyfile(spm, out / "spm.model")
    for name in TOKENIZER_FILES[1:]:
        if (args.checkpoint / name).exists():
            shutil.copyfile(args.checkpoint / name, out / name)
    state = best_state if best_state is not None else {k: v.detach().cpu() for k, v in model.state_dict().items()}
    write_safetensors(out / "model.safetensors", state)
    (out / "training.json").write_text(json.dumps({
        "checkpoint": str(args.checkpoint), "train": str(args.train), "dev": str(args.dev),
        "labels": "cmp_results" if metrics is None else {"metrics": list(metrics)},
        "selected": "lowest dev loss" + ("" if best_state is not None else " (no epoch improved: the input weights)"),
        "seed": args.seed, "learning_rate": args.learning_rate, "steps": step, "history": history,
    }, indent=1) + "\n")
    print(f"wrote {out} (dev loss {history[0]['loss']:.4f} -> {best_loss:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
