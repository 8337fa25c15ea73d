"""A faithful T5 v1.1 / Flan-T5 (T5ForConditionalGeneration) in plain PyTorch.

Module and parameter names follow Hugging Face's checkpoints, so a real Flan-T5
state dict loads with strict checks (`load_t5`). The same modules are traced to
ONNX (onnx_export.py), so the graph that ships is the code checked against the
oracle (check_oracle.py).

Architecture notes (checked against the oracle, test/fixtures/oracle-checkpoints/README.md):
- gated-GELU feed-forward with gelu_new (tanh approximation),
- T5's RMS layer norm (no mean, no bias, variance in float32),
- relative attention bias only in block 0 of each stack, reused by later blocks:
  bidirectional in the encoder, causal in the decoder, no 1/sqrt(d_kv) scaling,
- untied lm_head and no d_model**-0.5 rescale (Flan-T5 has tie_word_embeddings false).
"""
from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common.safetensors import load_state_dict_strict, read_safetensors  # noqa: E402

# T5 adds (1 - mask) * float32 min to the scores, as HF does.
NEG_INF = torch.finfo(torch.float32).min


@dataclass(frozen=True)
class T5Config:
    vocab_size: int
    d_model: int
    d_kv: int
    num_heads: int
    d_ff: int
    num_layers: int
    num_decoder_layers: int
    relative_attention_num_buckets: int = 32
    relative_attention_max_distance: int = 128
    layer_norm_epsilon: float = 1e-6
    tie_word_embeddings: bool = False
    feed_forward_proj: str = "gated-gelu"
    decoder_start_token_id: int = 0
    eos_token_id: int = 1
    pad_token_id: int = 0

    @staticmethod
    def from_json(path: str | Path) -> "T5Config":
        raw = json.loads(Path(path).read_text())
        if raw.get("feed_forward_proj", "gated-gelu") != "gated-gelu":
            raise ValueError(f"only gated-gelu (T5 v1.1 / Flan-T5) is supported, got {raw['feed_forward_proj']!r}")
        if raw.get("tie_word_embeddings", True):
            # Original T5 (tied) rescales before lm_head; Flan-T5 does not. Refuse rather than guess.
            raise ValueError("tie_word_embeddings true is not supported (Flan-T5 is untied)")
        fields = T5Config.__dataclass_fields__
        kwargs = {k: raw[k] for k in fields if k in raw}
        kwargs.setdefault("num_decoder_layers", raw["num_layers"])
        return T5Config(**kwargs)


def relative_position_bucket(relative_position: torch.Tensor, bidirectional: bool, num_buckets: int, max_distance: int) -> torch.Tensor:
    """HF T5's bucket function, unchanged (relative_position = key - query)."""
    relative_buckets = torch.zeros_like(relative_position)
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    if_large = max_exact + (
        torch.log(relative_position.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).to(torch.long)
    if_large = torch.min(if_large, torch.full_like(if_large, num_buckets - 1))
    return relative_buckets + torch.where(is_small, relative_position, if_large)


def bucket_table(bidirectional: bool, num_buckets: int, max_distance: int) -> torch.Tensor:
    """Bucket of every distance in [-max_distance, max_distance]. Every |distance| >=
    max_distance lands in the last bucket of its direction, so clamping the distance to
    this range and looking it up is exact; it also keeps float log() out of the ONNX
    graph, where another runtime's log could round a bucket boundary differently."""
    distances = torch.arange(-max_distance, max_distance + 1, dtype=torch.long)
    return relative_position_bucket(distances, bidirectional, num_buckets, max_distance)


class T5LayerNorm(nn.Module):
    """RMS norm: no mean subtraction, no bias; the variance is taken in float32."""

    def __init__(self, d_model: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d_model))
        self.variance_epsilon = eps

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        variance = hidden.to(torch.float32).pow(2).mean(-1, keepdim=True)
        return self.weight * (hidden * torch.rsqrt(variance + self.variance_epsilon))


def gelu_new(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class T5DenseGatedActDense(nn.Module):
    def __init__(self, cfg: T5Config):
        super().__init__()
        self.wi_0 = nn.Linear(cfg.d_model, cfg.d_ff, bias=False)
        self.wi_1 = nn.Linear(cfg.d_model, cfg.d_ff, bias=False)
        self.wo = nn.Linear(cfg.d_ff, cfg.d_model, bias=False)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.wo(gelu_new(self.wi_0(hidden)) * self.wi_1(hidden))


class T5LayerFF(nn.Module):
    def __init__(self, cfg: T5Config):
        super().__init__()
        self.DenseReluDense = T5DenseGatedActDense(cfg)
        self.layer_norm = T5LayerNorm(cfg.d_model, cfg.layer_norm_epsilon)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return hidden + self.DenseReluDense(self.layer_norm(hidden))


class T5Attention(nn.Module):
    def __init__(self, cfg: T5Config, has_relative_attention_bias: bool, bidirectional: bool):
        super().__init__()
        inner = cfg.num_heads * cfg.d_kv
        self.n_heads, self.d_kv = cfg.num_heads, cfg.d_kv
        self.q = nn.Linear(cfg.d_model, inner, bias=False)
        self.k = nn.Linear(cfg.d_model, inner, bias=False)
        self.v = nn.Linear(cfg.d_model, inner, bias=False)
        self.o = nn.Linear(inner, cfg.d_model, bias=False)
        self.max_distance = cfg.relative_attention_max_distance
        if has_relative_attention_bias:
            self.relative_attention_bias = nn.Embedding(cfg.relative_attention_num_buckets, cfg.num_heads)
            table = bucket_table(bidirectional, cfg.relative_attention_num_buckets, cfg.relative_attention_max_distance)
            # A buffer, not a parameter: not part of the checkpoint's state dict.
            self.register_buffer("bucket_table", table, persistent=False)

    def shape(self, x: torch.Tensor) -> torch.Tensor:
        """[B, T, H*D] -> [B, H, T, D]"""
        return x.view(x.shape[0], -1, self.n_heads, self.d_kv).transpose(1, 2)

    def position_bias(self, query_start: torch.Tensor | int, query_length: torch.Tensor | int, key_length: torch.Tensor | int) -> torch.Tensor:
        """[1, H, query_length, key_length]; queries sit at query_start.. (past length)."""
        context = torch.arange(query_length, dtype=torch.long)[:, None] + query_start
        memory = torch.arange(key_length, dtype=torch.long)[None, :]
        distance = torch.clamp(memory - context, -self.max_distance, self.max_distance)
        buckets = self.bucket_table[distance + self.max_distance]
        return self.relative_attention_bias(buckets).permute(2, 0, 1).unsqueeze(0)

    def attend(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        scores = torch.matmul(q, k.transpose(3, 2)) + bias  # no 1/sqrt(d_kv) in T5
        weights = torch.softmax(scores.float(), dim=-1).type_as(scores)
        out = torch.matmul(weights, v).transpose(1, 2)
        return self.o(out.reshape(out.shape[0], -1, self.n_heads * self.d_kv))


class T5LayerSelfAttention(nn.Module):
    def __init__(self, cfg: T5Config, has_bias: bool, bidirectional: bool):
        super().__init__()
        self.SelfAttention = T5Attention(cfg, has_bias, bidirectional)
        self.layer_norm = T5LayerNorm(cfg.d_model, cfg.layer_norm_epsilon)

    def forward(self, hidden, bias, past_key=None, past_value=None):
        att = self.SelfAttention
        normed = self.layer_norm(hidden)
        q, k, v = att.shape(att.q(normed)), att.shape(att.k(normed)), att.shape(att.v(normed))
        if past_key is not None:
            k = torch.cat([past_key, k], dim=2)
            v = torch.cat([past_value, v], dim=2)
        return hidden + att.attend(q, k, v, bias), k, v


class T5LayerCrossAttention(nn.Module):
    def __init__(self, cfg: T5Config):
        super().__init__()
        self.EncDecAttention = T5Attention(cfg, False, False)
        self.layer_norm = T5LayerNorm(cfg.d_model, cfg.layer_norm_epsilon)

    def forward(self, hidden, cross_key, cross_value, encoder_mask_bias):
        att = self.EncDecAttention
        q = att.shape(att.q(self.layer_norm(hidden)))
        return hidden + att.attend(q, cross_key, cross_value, encoder_mask_bias)


class T5Block(nn.Module):
    def __init__(self, cfg: T5Config, has_bias: bool, is_decoder: bool):
        super().__init__()
        layers: list[nn.Module] = [T5LayerSelfAttention(cfg, has_bias, bidirectional=not is_decoder)]
        if is_decoder:
            layers.append(T5LayerCrossAttention(cfg))
        layers.append(T5LayerFF(cfg))
        self.layer = nn.ModuleList(layers)


def mask_bias(mask: torch.Tensor) -> torch.Tensor:
    """[B, S] 1/0 mask -> [B, 1, 1, S] additive bias, (1 - mask) * float32 min as HF."""
    return (1.0 - mask[:, None, None, :].to(torch.float32)) * NEG_INF


class T5Encoder(nn.Module):
    def __init__(self, cfg: T5Config, shared: nn.Embedding):
        super().__init__()
        self.embed_tokens = shared
        self.block = nn.ModuleList([T5Block(cfg, i == 0, is_decoder=False) for i in range(cfg.num_layers)])
        self.final_layer_norm = T5LayerNorm(cfg.d_model, cfg.layer_norm_epsilon)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.embed_tokens(input_ids)
        length = input_ids.shape[1]
        first = self.block[0].layer[0].SelfAttention
        bias = first.position_bias(0, length, length) + mask_bias(attention_mask)
        for block in self.block:
            hidden, _, _ = block.layer[0](hidden, bias)
            hidden = block.layer[1](hidden)
        return self.final_layer_norm(hidden)


class T5Decoder(nn.Module):
    def __init__(self, cfg: T5Config, shared: nn.Embedding):
        super().__init__()
        self.embed_tokens = shared
        self.block = nn.ModuleList([T5Block(cfg, i == 0, is_decoder=True) for i in range(cfg.num_decoder_layers)])
        self.final_layer_norm = T5LayerNorm(cfg.d_model, cfg.layer_norm_epsilon)

    def cross_key_values(self, encoder_hidden: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
        out = []
        for block in self.block:
            att = block.layer[1].EncDecAttention
            out.append((att.shape(att.k(encoder_hidden)), att.shape(att.v(encoder_hidden))))
        return out

    def forward(self, input_ids, encoder_attention_mask, cross, past=None):
        """input_ids [B, T] are the new tokens; `past` holds per layer the self-attention
        (key, value) of the tokens before them. Returns hidden [B, T, d] and the
        self-attention (key, value) of all tokens."""
        hidden = self.embed_tokens(input_ids)
        new_length = input_ids.shape[1]
        past_length = past[0][0].shape[2] if past is not None else 0
        total = new_length + past_length
        first = self.block[0].layer[0].SelfAttention
        query_pos = torch.arange(new_length, dtype=torch.long)[:, None] + past_length
        key_pos = torch.arange(total, dtype=torch.long)[None, :]
        causal = (key_pos > query_pos).to(torch.float32) * NEG_INF  # future keys masked as HF does
        self_bias = first.position_bias(past_length, new_length, total) + causal[None, None]
        cross_bias = mask_bias(encoder_attention_mask)
        presents = []
        for i, block in enumerate(self.block):
            pk, pv = past[i] if past is not None else (None, None)
            hidden, k, v = block.layer[0](hidden, self_bias, pk, pv)
            presents.append((k, v))
            hidden = block.layer[1](hidden, cross[i][0], cross[i][1], cross_bias)
            hidden = block.layer[2](hidden)
        return self.final_layer_norm(hidden), presents


class T5ForConditionalGeneration(nn.Module):
    def __init__(self, cfg: T5Config):
        super().__init__()
        self.config = cfg
        self.shared = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.encoder = T5Encoder(cfg, self.shared)
        self.decoder = T5Decoder(cfg, self.shared)
        self.lm_head = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)

    def logits(self, input_ids, attention_mask, decoder_input_ids) -> torch.Tensor:
        """Teacher-forced logits [B, T, vocab] without a cache."""
        enc = self.encoder(input_ids, attention_mask)
        hidden, _ = self.decoder(decoder_input_ids, attention_mask, self.decoder.cross_key_values(enc))
        return self.lm_head(hidden)


# Names HF's state_dict lists but checkpoints store once (tied to shared.weight).
TIED_ALIASES = {"encoder.embed_tokens.weight": "shared.weight", "decoder.embed_tokens.weight": "shared.weight"}
# Old HF versions gave block 0's cross-attention a relative bias that is never used.
UNUSED_KEYS = {"decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight"}


def read_checkpoint(folder: Path) -> dict[str, torch.Tensor]:
    """model.safetensors, a sharded safetensors index, or pytorch_model(.bin / index)."""
    for index_name, reader in (("model.safetensors.index.json", read_safetensors), ("pytorch_model.bin.index.json", _read_bin)):
        index = folder / index_name
        if index.exists():
            tensors: dict[str, torch.Tensor] = {}
            for shard in sorted(set(json.loads(index.read_text())["weight_map"].values())):
                tensors.update(reader(folder / shard))
            return tensors
    if (folder / "model.safetensors").exists():
        return read_safetensors(folder / "model.safetensors")
    if (folder / "pytorch_model.bin").exists():
        return _read_bin(folder / "pytorch_model.bin")
    raise FileNotFoundError(f"{folder}: no model.safetensors, pytorch_model.bin or shard index")


def _read_bin(path: Path) -> dict[str, torch.Tensor]:
    return {k: v.float() for k, v in torch.load(path, map_location="cpu").items()}


def load_t5(folder: str | Path) -> T5ForConditionalGeneration:
    folder = Path(folder)
    model = T5ForConditionalGeneration(T5Config.from_json(folder / "config.json"))
    tensors = {k: v.float() for k, v in read_checkpoint(folder).items()}
    optional = {k for k in UNUSED_KEYS if k in tensors}
    load_state_dict_strict(model, tensors, aliases=TIED_ALIASES, optional=optional)
    return model.eval()
