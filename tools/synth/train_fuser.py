"""Trains the synth fuser: tools/fuser/model.py (Flan-T5 / T5 v1.1) at a small size on the
generated fuser rows (fuser_data.py), and writes a Hugging Face style folder
(config.json, model.safetensors, tokenizer.json, tokenizer_config.json; spm/spm.model
for the goldens' reference ids; training.json) that tools/fuser/export.py reads.

usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/synth/train_fuser.py
           [--data .cache/synth/fuser-data] [--work .cache/synth/fuser-hf] [--steps 9000] [--minutes 0] [--threads 1]

Inputs are the prompts the engine builds (tools/fuser/prompt.py: "Instruction: ...</s>Input:
...</s>Candidate 0: <extra_id_0>:...</s>...Summarize candidates into a better one for the
given instruction:", candidates cut at CANDIDATE_MAX_TOKENS, the whole at SOURCE_MAX_TOKENS);
targets are the rows' answers followed by </s>. Loss: token cross-entropy, teacher forced.
Checkpoint selection on the validation split only (greedy exact match on a fixed sample,
then teacher-forced loss); the test split is not read here.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path

import torch
from torch import nn

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "tools/fuser"))
sys.path.insert(0, str(REPO))
from common.corpus import gather_corpus  # noqa: E402
from common.safetensors import load_state_dict_strict, read_safetensors, write_safetensors  # noqa: E402
from common.unigram import train_unigram  # noqa: E402
from generate import greedy  # noqa: E402
from model import T5Config, T5ForConditionalGeneration  # noqa: E402
from prompt import fuse_input_ids, fuse_prompt  # noqa: E402
from sentencepiece import sentencepiece_model_pb2 as sp_pb2  # noqa: E402
from t5_tokenizer import T5TokenizerPy, tokenizer_config, tokenizer_json  # noqa: E402
from tools.synth.data import read_jsonl  # noqa: E402
from tools.synth.fuser_data import DEFAULT_OUT as DEFAULT_DATA  # noqa: E402

# Sizes: every variant of the exported folder (fp32 + fp16 + q8 + q4 + tokenizer) stays
# under 8 MB (see tools/synth/FUSER_RESULTS.md for the measured bytes).
PIECES, EXTRA_IDS = 1000, 16  # sentencepiece vocab (<pad> </s> <unk> included) + sentinels
D_MODEL, HEADS, D_KV, D_FF, ENCODER_LAYERS, DECODER_LAYERS = 96, 4, 24, 128, 2, 2
SOURCE_MAX_TOKENS, CANDIDATE_MAX_TOKENS, TARGET_MAX_TOKENS = 256, 64, 64
SEED = 13
BATCH_ROWS = 32
LEARNING_RATE, WEIGHT_DECAY, WARMUP = 2e-3, 0.01, 300
EVAL_EVERY = 500
VAL_LOSS_ROWS, VAL_GREEDY_PER_FAMILY = 500, 20
CORPUS_BYTES = 60_000
# The prompt's fixed words, so the vocab has pieces for them.
PROMPT_LINES = ["Instruction: Input: Candidate 0: Candidate 1: Candidate 2: Candidate 3: Candidate 4:",
                "Summarize candidates into a better one for the given instruction:"] * 50


def architecture(vocab_size: int) -> dict:
    return {
        "model_type": "t5", "architectures": ["T5ForConditionalGeneration"], "vocab_size": vocab_size,
        "d_model": D_MODEL, "d_kv": D_KV, "num_heads": HEADS, "d_ff": D_FF,
        "num_layers": ENCODER_LAYERS, "num_decoder_layers": DECODER_LAYERS, "feed_forward_proj": "gated-gelu",
        "tie_word_embeddings": False, "relative_attention_num_buckets": 32, "relative_attention_max_distance": 128,
        "layer_norm_epsilon": 1e-6, "dropout_rate": 0.0, "initializer_factor": 1.0, "is_encoder_decoder": True,
        "use_cache": True, "decoder_start_token_id": 0, "eos_token_id": 1, "pad_token_id": 0,
        "synthetic_training": "tools/synth: trained on generated fusion tasks, not GenFuser",
    }


def training_lines(rows: list[dict]) -> list[str]:
    """Every text the model reads or writes (repeats kept: piece scores follow frequency)."""
    lines = []
    for r in rows:
        lines += [r["instruction"] + r["input"], r["target"], *r["candidates"]]
    return [line for line in lines if line.strip()]


def train_tokenizer(rows: list[dict], work: Path):
    lines = training_lines(rows) + PROMPT_LINES + gather_corpus(CORPUS_BYTES, seed=0)
    return train_unigram(lines, PIECES, work / "spm", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
                         pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>")


def reuse_tokenizer(source: Path, work: Path):
    """The sentencepiece model of a run to continue from: its weights only make sense with its ids."""
    proto = sp_pb2.ModelProto()
    proto.ParseFromString((source / "spm" / "spm.model").read_bytes())
    (work / "spm").mkdir(parents=True, exist_ok=True)
    for name in ("spm.model", "spm.vocab"):
        if (source / "spm" / name).exists() and source.resolve() != work.resolve():
            shutil.copyfile(source / "spm" / name, work / "spm" / name)
    return proto


def encode_rows(rows: list[dict], tok: T5TokenizerPy) -> list[tuple[list[int], list[int], str]]:
    """(prompt ids as the engine builds them, target ids + </s>, family) per row."""
    out = []
    for r in rows:
        prompt = fuse_prompt(tok, r["instruction"], r["input"], r["candidates"], CANDIDATE_MAX_TOKENS)
        target = tok.encode(r["target"])[: TARGET_MAX_TOKENS - 1] + [1]
        out.append((fuse_input_ids(tok, prompt, SOURCE_MAX_TOKENS), target, r["family"]))
    return out


def init_weights(model: T5ForConditionalGeneration, seed: int) -> None:
    """Hugging Face's T5 init (initializer_factor 1), from one generator."""
    cfg = model.config
    generator = torch.Generator().manual_seed(seed)
    d, inner = cfg.d_model, cfg.num_heads * cfg.d_kv
    std = {"q": (d * cfg.d_kv) ** -0.5, "k": d**-0.5, "v": d**-0.5, "o": inner**-0.5,
           "wi_0": d**-0.5, "wi_1": d**-0.5, "wo": cfg.d_ff**-0.5, "relative_attention_bias": d**-0.5}
    with torch.no_grad():
        for name, param in model.named_parameters():
            leaf = name.split(".")[-2]
            if "layer_norm" in name:
                param.fill_(1.0)
            elif name == "shared.weight":
                param.copy_(torch.randn(param.shape, generator=generator))
            elif name == "lm_head.weight":
                param.copy_(torch.randn(param.shape, generator=generator) * d**-0.5)
            else:
                param.copy_(torch.randn(param.shape, generator=generator) * std[leaf])


def pad(rows: list[list[int]], value: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), value, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r)
        mask[i, : len(r)] = 1
    return ids, mask


def batch_loss(model: T5ForConditionalGeneration, chunk: list) -> tuple[torch.Tensor, int, int]:
    """Mean token cross-entropy, and (right tokens, tokens) under teacher forcing."""
    ids, mask = pad([c[0] for c in chunk])
    labels, label_mask = pad([c[1] for c in chunk])
    decoder_in = torch.cat([torch.zeros((len(chunk), 1), dtype=torch.long), labels[:, :-1]], dim=1)
    logits = model.logits(ids, mask, decoder_in)
    labels = labels.masked_fill(label_mask == 0, -100)
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
    right = ((logits.argmax(-1) == labels) & (label_mask == 1)).sum().item()
    return loss, int(right), int(label_mask.sum().item())


def length_batches(encoded: list, batch: int, rng: random.Random) -> list[list[int]]:
    """Indices grouped by similar prompt length (less padding), batches in shuffled order."""
    order = list(range(len(encoded)))
    rng.shuffle(order)
    batches = []
    for start in range(0, len(order), batch * 50):
        chunk = sorted(order[start : start + batch * 50], key=lambda i: len(encoded[i][0]))
        batches += [chunk[i : i + batch] for i in range(0, len(chunk), batch)]
    rng.shuffle(batches)
    return batches


@torch.no_grad()
def greedy_texts(model: T5ForConditionalGeneration, prompts: list[list[int]], tok: T5TokenizerPy, batch: int = 32) -> list[str]:
    from goldens import decode_generated

    texts = []
    for start in range(0, len(prompts), batch):
        ids, mask = pad(prompts[start : start + batch])
        texts += [decode_generated(tok, out) for out in greedy(model, ids, mask, TARGET_MAX_TOKENS)]
    return texts


@torch.no_grad()
def evaluate(model: T5ForConditionalGeneration, loss_rows: list, greedy_rows: list[tuple[list[int], str, str]],
             tok: T5TokenizerPy) -> dict[str, float]:
    """Teacher-forced loss and token accuracy on loss_rows; greedy exact match per family on greedy_rows."""
    model.eval()
    loss_sum = right = total = 0.0
    for start in range(0, len(loss_rows), 64):
        chunk = loss_rows[start : start + 64]
        loss, r, t = batch_loss(model, chunk)
        loss_sum += loss.item() * t
        right += r
        total += t
    texts = greedy_texts(model, [g[0] for g in greedy_rows], tok)
    exact: dict[str, list[int]] = {}
    for (_, target, family), text in zip(greedy_rows, texts):
        exact.setdefault(family, []).append(int(text == target))
    result = {f"em_{f}": sum(v) / len(v) for f, v in sorted(exact.items())}
    result["em"] = sum(sum(v) for v in exact.values()) / len(greedy_rows)
    result["loss"] = loss_sum / total
    result["token_accuracy"] = right / total
    model.train()
    return result


def learning_rate(step: int, total: int, peak: float, time_fraction: float = 0.0) -> float:
    """Linear warm-up, then cosine to 5% of the peak. Progress is the larger of the step and
    the wall-time fractions, so a run cut by --minutes on a busy machine still ends its decay."""
    if step < WARMUP:
        return peak * (step + 1) / WARMUP
    progress = min(1.0, max((step - WARMUP) / max(1, total - WARMUP), time_fraction))
    return peak * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def greedy_sample(rows: list[dict], rng: random.Random) -> list[dict]:
    by_family: dict[str, list[dict]] = {}
    for r in rows:
        by_family.setdefault(r["family"], []).append(r)
    return [r for f in sorted(by_family) for r in rng.sample(by_family[f], min(VAL_GREEDY_PER_FAMILY, len(by_family[f])))]


def write_json(path: Path, value: dict, compact: bool = False) -> None:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(value, indent=2, sort_keys=True)
    path.write_text(text + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=REPO / ".cache/synth/fuser-hf")
    parser.add_argument("--steps", type=int, default=9000)
    parser.add_argument("--minutes", type=float, default=0, help="stop after this wall time, the learning rate "
                        "decaying by time too (0: no limit; else the result depends on machine speed)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=LEARNING_RATE)
    parser.add_argument("--init-from", type=Path, default=None, help="start from this folder's weights and tokenizer "
                        "(its spm/spm.model is reused, not retrained from --data)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)

    train_rows = read_jsonl(args.data / "train.jsonl")
    val_rows = read_jsonl(args.data / "val.jsonl")
    proto = reuse_tokenizer(args.init_from, work) if args.init_from is not None else train_tokenizer(train_rows, work)
    tok = T5TokenizerPy(proto, EXTRA_IDS)
    write_json(work / "tokenizer.json", tokenizer_json(proto, EXTRA_IDS), compact=True)
    write_json(work / "tokenizer_config.json", tokenizer_config(EXTRA_IDS, SOURCE_MAX_TOKENS))
    config = architecture(len(proto.pieces) + EXTRA_IDS)
    write_json(work / "config.json", config)
    train = encode_rows(train_rows, tok)
    rng = random.Random(SEED)
    val_loss = encode_rows(rng.sample(val_rows, min(VAL_LOSS_ROWS, len(val_rows))), tok)
    val_greedy = [(e[0], r["target"], r["family"]) for r, e in
                  ((r, encode_rows([r], tok)[0]) for r in greedy_sample(val_rows, rng))]
    print(f"train {len(train)} rows, val {len(val_loss)} (loss) + {len(val_greedy)} (greedy); vocab {config['vocab_size']}; "
          f"longest prompt {max(len(e[0]) for e in train)}, target {max(len(e[1]) for e in train)}", flush=True)

    model = T5ForConditionalGeneration(T5Config.from_json(work / "config.json"))
    init_weights(model, SEED)
    if args.init_from is not None:
        load_state_dict_strict(model, read_safetensors(args.init_from / "model.safetensors"),
                               aliases={"encoder.embed_tokens.weight": "shared.weight", "decoder.embed_tokens.weight": "shared.weight"})
    model.train()
    print(f"parameters: {sum(p.numel() for p in model.parameters())}", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and n != "shared.weight"]
    no_decay = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and n != "shared.weight")]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=args.learning_rate)
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
            group["lr"] = learning_rate(step, args.steps, args.learning_rate,
                                        (time.time() - started) / (args.minutes * 60) if args.minutes else 0.0)
        loss, _, _ = batch_loss(model, chunk)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        if step == 49:
            print(f"50 steps in {time.time() - started:.1f} s", flush=True)
        last = step == args.steps - 1 or bool(args.minutes and time.time() - started > args.minutes * 60)
        if (step + 1) % EVAL_EVERY == 0 or last:
            scores = evaluate(model, val_loss, val_greedy, tok)
            history.append({"step": step + 1, "seconds": round(time.time() - started), **{k: round(v, 4) for k, v in scores.items()}})
            key = (scores["em"], -scores["loss"])
            mark = ""
            if key > best:
                best, best_step, mark = key, step + 1, " *"
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            print(f"step {step + 1} ({time.time() - started:.0f} s) train loss {running:.4f} val "
                  + " ".join(f"{k} {v:.4f}" for k, v in scores.items()) + mark, flush=True)
        if last:
            break
    assert best_state is not None
    write_safetensors(work / "model.safetensors", {k: v for k, v in best_state.items() if not k.endswith("embed_tokens.weight")})
    write_json(work / "training.json", {
        "selected_step": best_step, "selection": "best validation greedy exact match, then teacher-forced loss",
        "seconds": round(time.time() - started), "threads": args.threads, "steps": args.steps,
        "learning_rate": args.learning_rate, "batch_rows": BATCH_ROWS, "train_rows": len(train),
        "val_greedy_rows": len(val_greedy), "history": history,
        "init_from": str(args.init_from.relative_to(REPO)) if args.init_from and args.init_from.is_relative_to(REPO) else args.init_from and str(args.init_from),
    })
    print(f"selected step {best_step} (val exact match {best[0]:.4f}); wrote {work / 'model.safetensors'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
