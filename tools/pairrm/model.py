"""PairRM in PyTorch: DeBERTa-v2 encoder (as HF transformers 4.28 computes it) + PairRM head.

Module and parameter names follow the `llm-blender/PairRM-hf` checkpoint exactly
(`pretrained_model.embeddings...`, `pretrained_model.encoder.layer.N...`,
`head_layer.1.*`, `head_layer.4.*`) so a checkpoint loads with strict name/shape checks.

The same forward is used for the oracle check and for the ONNX export, so it is written
in export-friendly form (see `RelativePositions`): the arithmetic equals HF's up to float
rounding order (scores are scaled once instead of three times).
"""
from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tools.common.safetensors import load_state_dict_strict, read_safetensors  # noqa: E402

# |relative distance| beyond which the clamped c2p/p2c index no longer changes
# (log buckets reach the table edge at 511); lets a fixed table serve any sequence length.
REL_TABLE_HALF = 1024
# Added to scores of padding keys. exp(-30000) is 0 in float32 as with HF's float32-min
# fill, and unlike float32-min it stays finite in an fp16 variant (0 * -inf would be NaN).
MASK_BIAS = -30000.0


@dataclass(frozen=True)
class PairRMConfig:
    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    layer_norm_eps: float
    position_buckets: int
    max_relative_positions: int
    max_position_embeddings: int
    pos_att_type: tuple[str, ...]
    source_prefix_id: int
    cand1_prefix_id: int
    cand2_prefix_id: int
    head_hidden_size: int
    n_tasks: int

    @staticmethod
    def from_dict(raw: dict) -> "PairRMConfig":
        unsupported = {
            "relative_attention": (raw.get("relative_attention"), True),
            "share_att_key": (raw.get("share_att_key"), True),
            "position_biased_input": (raw.get("position_biased_input"), False),
            "norm_rel_ebd": (raw.get("norm_rel_ebd"), "layer_norm"),
            "hidden_act": (raw.get("hidden_act"), "gelu"),
        }
        for key, (got, want) in unsupported.items():
            if got != want:
                raise ValueError(f"config {key}={got!r}: only {want!r} is implemented (PairRM's value)")
        if raw.get("type_vocab_size", 0) != 0 or raw.get("conv_kernel_size", 0) != 0:
            raise ValueError("config: token types and the conv layer are not implemented (PairRM has neither)")
        if raw.get("embedding_size", raw["hidden_size"]) != raw["hidden_size"]:
            raise ValueError("config: embedding_size != hidden_size is not implemented")
        pos_att = raw["pos_att_type"]
        if isinstance(pos_att, str):
            pos_att = [p.strip() for p in pos_att.lower().split("|")]
        if sorted(pos_att) != ["c2p", "p2c"]:
            raise ValueError(f"config pos_att_type={pos_att!r}: only c2p+p2c is implemented")
        return PairRMConfig(
            vocab_size=raw["vocab_size"],
            hidden_size=raw["hidden_size"],
            num_hidden_layers=raw["num_hidden_layers"],
            num_attention_heads=raw["num_attention_heads"],
            intermediate_size=raw["intermediate_size"],
            layer_norm_eps=raw["layer_norm_eps"],
            position_buckets=raw["position_buckets"],
            max_relative_positions=raw["max_relative_positions"],
            max_position_embeddings=raw["max_position_embeddings"],
            pos_att_type=tuple(pos_att),
            source_prefix_id=raw["source_prefix_id"],
            cand1_prefix_id=raw["cand1_prefix_id"],
            cand2_prefix_id=raw["cand2_prefix_id"],
            head_hidden_size=raw.get("head_hidden_size", raw["hidden_size"]),
            n_tasks=raw.get("n_tasks", 1),
        )

    @property
    def att_span(self) -> int:
        """Half the relative table (HF's pos_ebd_size)."""
        return self.position_buckets if self.position_buckets > 0 else self.max_rel_positions

    @property
    def max_rel_positions(self) -> int:
        return self.max_relative_positions if self.max_relative_positions >= 1 else self.max_position_embeddings


def log_bucket_position(relative_pos: torch.Tensor, bucket_size: int, max_position: int) -> torch.Tensor:
    """HF's make_log_bucket_position, op for op (float32 log/ceil), so boundaries agree."""
    sign = torch.sign(relative_pos)
    mid = bucket_size // 2
    abs_pos = torch.where(
        (relative_pos < mid) & (relative_pos > -mid),
        torch.tensor(mid - 1).type_as(relative_pos),
        torch.abs(relative_pos),
    )
    log_pos = torch.ceil(torch.log(abs_pos / mid) / torch.log(torch.tensor((max_position - 1) / mid)) * (mid - 1)) + mid
    return torch.where(abs_pos <= mid, relative_pos.type_as(log_pos), log_pos * sign).to(torch.long)


def c2p_index_table(config: PairRMConfig) -> torch.Tensor:
    """c2p gather index for every distance d = query - key in [-REL_TABLE_HALF, REL_TABLE_HALF]:
    clamp(bucket(d) + span, 0, 2*span - 1). Beyond the table the index is saturated."""
    distances = torch.arange(-REL_TABLE_HALF, REL_TABLE_HALF + 1, dtype=torch.long)
    if config.position_buckets > 0:
        distances_b = log_bucket_position(distances, config.position_buckets, config.max_rel_positions)
    else:
        distances_b = distances
    span = config.att_span
    table = torch.clamp(distances_b + span, 0, 2 * span - 1)
    # The saturation claim that makes a finite table exact for any length:
    if not (table[0] == 0 and table[-1] == 2 * span - 1):
        raise AssertionError("relative index table is not saturated at its ends")
    return table


class RelativePositions(nn.Module):
    """Which rows of the relative table a length-S sequence uses, and in what order.

    HF scores c2p_att[q, c2p(q-k)] and p2c_att[k, p2c(k-q)] with GatherElements over
    [B*H,S,S] indices (materialised twice). Here the position rows are laid out by distance
    instead, so a reshape does the lookup (`relative_scores`): no index tensor, and no
    element-wise Gather (one 4-byte copy per score, which onnxruntime runs several times
    slower than a GatherElements or the reshape: bench/NOTES.md).

    The index is monotone in q - k, so the rows a sequence reaches are the contiguous range
    c2p(-(S-1)) .. c2p(S-1): 2S-1 rows up to S = 129, never more than the table's 2*span.
    Only those are projected; `descending` and `ascending` then repeat them per distance."""

    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.register_buffer("c2p_table", c2p_index_table(config), persistent=False)

    def forward(self, seq_len_ref: torch.Tensor) -> "RelativeLayout":
        """seq_len_ref: any tensor whose dim 1 is S (keeps S dynamic in the ONNX graph)."""
        positions = torch.cumsum(torch.ones_like(seq_len_ref[0]), 0) - 1  # arange(S), export-safe
        last = positions[-1:]
        descending = torch.cat([last - positions, -positions[1:]])  # S-1 .. -(S-1)
        rows = self.c2p_table[torch.clamp(descending, -REL_TABLE_HALF, REL_TABLE_HALF) + REL_TABLE_HALF]
        first = rows[-1]
        seq = seq_len_ref.shape[1]
        return RelativeLayout(first, rows[0] + 1, rows - first, torch.flip(rows, [0]) - first, seq, seq - 1,
                              seq - 1 + seq * (2 * seq - 2), 2 * seq - 2)


@dataclass
class RelativeLayout:
    """What every layer needs for the relative terms of one length-S batch (computed once:
    in the ONNX graph the index and shape arithmetic is shared by all layers)."""
    first: torch.Tensor  # the table slice first:end the sequence reaches
    end: torch.Tensor
    descending: torch.Tensor  # [2S-1] slice row for distance S-1, S-2, ..., -(S-1)
    ascending: torch.Tensor  # the same rows for distance -(S-1) .. S-1
    seq: int
    skew_start: int  # S-1
    skew_end: int  # S-1 + S(2S-2)
    skew_width: int  # 2S-2


def relative_scores(content: torch.Tensor, by_distance: torch.Tensor, layout: RelativeLayout) -> torch.Tensor:
    """out[b,h,i,j] = content[b,h,i] . by_distance[0,h,i-j]: content [B,H,S,d] against position
    rows [1,H,2S-1,d] for distances S-1 .. -(S-1). Row i of the [S, 2S-1] product holds
    distance i-j at column S-1-i+j, flat index i(2S-2) + (S-1) + j: so dropping S-1 values
    and re-rowing by 2S-2 lines the distances up (needs S >= 2; a PairRM row has >= 6)."""
    table = torch.matmul(content, by_distance.transpose(-1, -2)).flatten(2)  # [B,H,S*(2S-1)]
    skewed = table[:, :, layout.skew_start : layout.skew_end]
    skewed = skewed.reshape(-1, content.shape[1], layout.seq, layout.skew_width)
    return skewed[:, :, :, : layout.seq]


class DebertaV2Embeddings(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        embeddings = self.LayerNorm(self.word_embeddings(input_ids))
        return embeddings * mask.unsqueeze(2).to(embeddings.dtype)


class DebertaV2SelfAttention(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.query_proj = nn.Linear(config.hidden_size, config.hidden_size)
        self.key_proj = nn.Linear(config.hidden_size, config.hidden_size)
        self.value_proj = nn.Linear(config.hidden_size, config.hidden_size)
        scale_factor = 1 + len(config.pos_att_type)
        self.inv_scale = 1.0 / math.sqrt(self.head_dim * scale_factor)

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """[B,S,H*d] -> [B,H,S,d]"""
        return x.reshape(x.shape[0], x.shape[1], self.heads, self.head_dim).transpose(1, 2)

    def project_with_positions(
        self, linear: nn.Linear, hidden: torch.Tensor, rel_embeddings: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """share_att_key: the position projections reuse query_proj/key_proj (biases
        included) on the normed relative table. Projecting tokens and table rows in one
        MatMul keeps one weight per projection in the ONNX file: projecting the constant
        table alone would be constant-folded into 2 extra [2span, hidden] tensors per
        layer (~190 MB fp32 for the real model, never quantized). rel_embeddings is the
        W-row slice the sequence uses (RelativePositions)."""
        width = hidden.shape[2]
        tokens = hidden.reshape(-1, width)
        both = linear(torch.cat([tokens, rel_embeddings], 0).unsqueeze(0))[0]  # 3-D: MatMul, not Gemm
        count = tokens.shape[0]
        projected = both[:count].reshape(hidden.shape[0], hidden.shape[1], width)
        positions = both[count:].unsqueeze(0)  # [1, W, hidden]
        return self.split_heads(projected), self.split_heads(positions)

    def forward(self, hidden: torch.Tensor, key_bias: torch.Tensor, rel_embeddings: torch.Tensor,
                layout: RelativeLayout) -> torch.Tensor:
        batch, seq = hidden.shape[0], hidden.shape[1]
        query, pos_query = self.project_with_positions(self.query_proj, hidden, rel_embeddings)
        key, pos_key = self.project_with_positions(self.key_proj, hidden, rel_embeddings)
        query = query * self.inv_scale
        pos_query = pos_query * self.inv_scale
        value = self.split_heads(self.value_proj(hidden))

        scores = torch.matmul(query, key.transpose(-1, -2))  # c2c
        # c2p: query q against the key position at distance q - k
        scores = scores + relative_scores(query, torch.index_select(pos_key, 2, layout.descending), layout)
        # p2c: key k against the query position at distance q - k (bucket(-x) = -bucket(x)),
        # scored as [k, q] with distances k - q, i.e. the rows in the opposite order
        p2c = relative_scores(key, torch.index_select(pos_query, 2, layout.ascending), layout)
        scores = scores + p2c.transpose(-1, -2)

        # HF's XSoftmax differs only at padding query rows (it zeroes them); those never
        # reach a real token, so an additive key mask gives the same real-token outputs.
        probs = torch.softmax(scores + key_bias, dim=-1)
        context = torch.matmul(probs, value).transpose(1, 2)
        return context.reshape(batch, seq, self.heads * self.head_dim)


class DebertaV2SelfOutput(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, hidden: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dense(hidden) + residual)


class DebertaV2Attention(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.self = DebertaV2SelfAttention(config)
        self.output = DebertaV2SelfOutput(config)


class DebertaV2Intermediate(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.intermediate_size)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return nn.functional.gelu(self.dense(hidden))  # exact erf GELU ("gelu")


class DebertaV2Output(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.dense = nn.Linear(config.intermediate_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, hidden: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dense(hidden) + residual)


class DebertaV2Layer(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.attention = DebertaV2Attention(config)
        self.intermediate = DebertaV2Intermediate(config)
        self.output = DebertaV2Output(config)

    def forward(self, hidden, key_bias, rel_embeddings, layout) -> torch.Tensor:
        attended = self.attention.self(hidden, key_bias, rel_embeddings, layout)
        attended = self.attention.output(attended, hidden)
        return self.output(self.intermediate(attended), attended)


class DebertaV2Encoder(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.layer = nn.ModuleList(DebertaV2Layer(config) for _ in range(config.num_hidden_layers))
        self.rel_embeddings = nn.Embedding(2 * config.att_span, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)  # norm_rel_ebd
        self.positions = RelativePositions(config)

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
        """Returns the embedding output followed by every layer's output."""
        key_bias = (1.0 - mask.to(hidden.dtype))[:, None, None, :] * MASK_BIAS
        layout = self.positions(mask)
        rel_embeddings = self.LayerNorm(self.rel_embeddings.weight)[layout.first : layout.end]  # a Slice, per row: same rows
        states = [hidden]
        for layer in self.layer:
            hidden = layer(hidden, key_bias, rel_embeddings, layout)
            states.append(hidden)
        return states


class DebertaV2Model(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.embeddings = DebertaV2Embeddings(config)
        self.encoder = DebertaV2Encoder(config)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> list[torch.Tensor]:
        return self.encoder(self.embeddings(input_ids, attention_mask), attention_mask)


@dataclass
class PairRMOutput:
    logits: torch.Tensor  # [B]  left - right
    left: torch.Tensor  # [B]
    right: torch.Tensor  # [B]
    marker_hidden: torch.Tensor  # [B,3,hidden]  source, cand1, cand2
    hidden_states: list[torch.Tensor]  # embeddings + each layer, [B,S,hidden]


class PairRM(nn.Module):
    def __init__(self, config: PairRMConfig):
        super().__init__()
        self.config = config
        self.pretrained_model = DebertaV2Model(config)
        self.head_layer = nn.Sequential(
            nn.Dropout(0.0),
            nn.Linear(2 * config.hidden_size, config.head_hidden_size),
            nn.Tanh(),
            nn.Dropout(0.0),
            nn.Linear(config.head_hidden_size, config.n_tasks),
        )
        markers = [config.source_prefix_id, config.cand1_prefix_id, config.cand2_prefix_id]
        self.register_buffer("marker_ids", torch.tensor(markers, dtype=torch.long), persistent=False)

    def marker_positions(self, input_ids: torch.Tensor) -> torch.Tensor:
        """[B,3] first position of each marker id (the engine guarantees exactly one; text
        can never produce a marker id, so text cannot move what the head reads)."""
        hits = (input_ids.unsqueeze(1) == self.marker_ids.view(1, 3, 1)).to(torch.float32)
        return torch.argmax(hits, dim=2)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> PairRMOutput:
        states = self.pretrained_model(input_ids, attention_mask)
        last = states[-1]
        positions = self.marker_positions(input_ids)
        marker_hidden = torch.gather(last, 1, positions.unsqueeze(2).expand(-1, -1, last.shape[2]))
        source, cand1, cand2 = marker_hidden[:, 0], marker_hidden[:, 1], marker_hidden[:, 2]
        left = self.head_layer(torch.cat([source, cand1], dim=1)).mean(dim=1)
        right = self.head_layer(torch.cat([source, cand2], dim=1)).mean(dim=1)
        return PairRMOutput(left - right, left, right, marker_hidden, states)


def load_config(folder: str | Path) -> dict:
    return json.loads((Path(folder) / "config.json").read_text())


def load_pairrm(folder: str | Path) -> PairRM:
    """Builds PairRM from <folder>/config.json and loads <folder>/model.safetensors strictly."""
    model = PairRM(PairRMConfig.from_dict(load_config(folder)))
    tensors = read_safetensors(Path(folder) / "model.safetensors")
    load_state_dict_strict(model, tensors, optional={"pretrained_model.embeddings.position_ids"})
    return model.eval()
