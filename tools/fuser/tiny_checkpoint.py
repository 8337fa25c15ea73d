"""The tiny fuser's checkpoint: a T5-style Unigram tokenizer trained on this machine's
text and a Flan-T5-shaped model with random weights (fixed seed), written as a Hugging
Face folder (config.json, model.safetensors, tokenizer files) for export.py.

Weights follow the oracle's scheme (test/fixtures/oracle-checkpoints/README.md: N(0,1) embeddings and
lm_head, HF's T5 init elsewhere, relative bias N(0,1), norms 1 + 0.1 N(0,1)) so that
generations vary with the input, plus one change: the lm_head row of `</s>` is pointed
along the mean decoder state, so eos competes for the top ranks and the goldens exercise
beam search's finished hypotheses and greedy's early stop.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common.corpus import gather_corpus  # noqa: E402
from common.safetensors import write_safetensors  # noqa: E402
from common.unigram import train_unigram  # noqa: E402
from model import T5Config, T5ForConditionalGeneration  # noqa: E402
from t5_tokenizer import tokenizer_config, tokenizer_json  # noqa: E402

PIECES = 1000  # sentencepiece vocab, <pad> </s> <unk> included
EXTRA_IDS = 16  # <extra_id_0> .. <extra_id_15>: up to 16 candidates
SEED = 0
EOS_GAIN = 3.2  # eos row length over an average lm_head row: eos ends 8 of the 12 golden greedy runs early

# The prompt's fixed words, so the tiny vocab has pieces for them.
PROMPT_LINES = [
    "Instruction: Input: Candidate 0: Candidate 1: Candidate 2: Candidate 3: Candidate 4:",
    "Summarize candidates into a better one for the given instruction:",
] * 20


def tiny_config(vocab_size: int) -> dict:
    return {
        "model_type": "t5", "architectures": ["T5ForConditionalGeneration"],
        "vocab_size": vocab_size, "d_model": 32, "d_kv": 8, "num_heads": 4, "d_ff": 64,
        "num_layers": 2, "num_decoder_layers": 2, "feed_forward_proj": "gated-gelu",
        "tie_word_embeddings": False, "relative_attention_num_buckets": 32,
        "relative_attention_max_distance": 128, "layer_norm_epsilon": 1e-6, "dropout_rate": 0.0,
        "initializer_factor": 1.0, "is_encoder_decoder": True, "use_cache": True,
        "decoder_start_token_id": 0, "eos_token_id": 1, "pad_token_id": 0,
    }


def train_tokenizer(work: Path):
    lines = gather_corpus(max_bytes=200_000, seed=SEED) + PROMPT_LINES
    return train_unigram(
        lines, PIECES, work / "spm",
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>",
    )


def random_model(cfg: T5Config) -> T5ForConditionalGeneration:
    torch.manual_seed(SEED)
    model = T5ForConditionalGeneration(cfg)
    d, inner = cfg.d_model, cfg.num_heads * cfg.d_kv
    std = {"q": (d * cfg.d_kv) ** -0.5, "k": d**-0.5, "v": d**-0.5, "o": inner**-0.5, "wi_0": d**-0.5, "wi_1": d**-0.5, "wo": cfg.d_ff**-0.5}
    with torch.no_grad():
        for name, param in model.named_parameters():
            leaf = name.split(".")[-2]
            if name in ("shared.weight", "lm_head.weight") or leaf == "relative_attention_bias":
                param.normal_(0.0, 1.0)
            elif "layer_norm" in name:
                param.copy_(1.0 + 0.1 * torch.randn_like(param))
            else:
                param.normal_(0.0, std[leaf])
    return model.eval()


@torch.no_grad()
def point_eos_row(model: T5ForConditionalGeneration, probe_ids: list[list[int]]) -> None:
    """lm_head[eos] := EOS_GAIN * |average row| * unit(late - first), where `first` is the
    decoder state at the first greedy step and `late` the mean over steps 3..9: eos then
    rarely wins at once but becomes likely a few tokens in."""
    from generate import DecoderState

    first, late = [], []
    for ids in probe_ids:
        state = DecoderState(model, torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long))
        token = torch.tensor([[model.config.decoder_start_token_id]])
        for step in range(10):
            hidden, state.past = model.decoder(token, state.attention_mask, state.cross, state.past)
            (first if step == 0 else late if step >= 3 else []).append(hidden[0, -1])
            token = model.lm_head(hidden[:, -1]).argmax(-1, keepdim=True)
    direction = torch.stack(late).mean(0) - torch.stack(first).mean(0)
    row_norm = model.lm_head.weight.norm(dim=1).mean()
    model.lm_head.weight[model.config.eos_token_id] = EOS_GAIN * row_norm * direction / direction.norm()


def write_checkpoint(work: Path, probe_texts: list[str]) -> Path:
    """Writes work/hf (the Hugging Face-style folder) and returns its path."""
    from t5_tokenizer import T5TokenizerPy

    proto = train_tokenizer(work)
    hf = work / "hf"
    hf.mkdir(parents=True, exist_ok=True)
    config = tiny_config(len(proto.pieces) + EXTRA_IDS)
    (hf / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    (hf / "tokenizer.json").write_text(json.dumps(tokenizer_json(proto, EXTRA_IDS), ensure_ascii=False, separators=(",", ":")) + "\n")
    (hf / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(EXTRA_IDS), indent=2, sort_keys=True) + "\n")
    model = random_model(T5Config.from_json(hf / "config.json"))
    tok = T5TokenizerPy(proto, EXTRA_IDS)
    point_eos_row(model, [tok.encode(t) for t in probe_texts])
    state = {k: v for k, v in model.state_dict().items() if not k.endswith("embed_tokens.weight")}
    write_safetensors(hf / "model.safetensors", state)
    return hf
