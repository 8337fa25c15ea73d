"""Traces model.T5ForConditionalGeneration into the two ONNX graphs transformers.js
loads for T5 (AutoModelForSeq2SeqLM):

onnx/encoder_model.onnx
    input_ids [batch_size, encoder_sequence_length] int64, attention_mask (same) int64
    -> last_hidden_state [batch_size, encoder_sequence_length, d_model]
onnx/decoder_model_merged.onnx
    input_ids [batch_size, decoder_sequence_length] (only the NEW tokens),
    encoder_attention_mask, encoder_hidden_states,
    past_key_values.{i}.decoder.{key,value} [batch_size, heads, past_decoder_sequence_length, d_kv],
    past_key_values.{i}.encoder.{key,value} [batch_size, heads, encoder_sequence_length_out, d_kv]
    -> logits [batch_size, decoder_sequence_length, vocab],
       present.{i}.decoder.{key,value} (past ++ new), present.{i}.encoder.{key,value}

"Merged" without an If node: transformers.js feeds empty (length 0) past tensors at
the first step, and the graph projects only the encoder positions the past does not
already hold (encoder_hidden_states[:, past_len:]), then concatenates. First step:
the cross key/values are computed from the encoder states; later steps: the slice is
empty and the cached ones are reused, so the 3B model does not redo 48 matmuls over
1024 encoder positions per token. No `use_cache_branch` input is needed (it is
optional in transformers.js) and quantizers see a flat graph.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from model import T5ForConditionalGeneration

OPSET = 17


def past_names(layers: int, prefix: str) -> list[str]:
    return [f"{prefix}.{i}.{kind}.{kv}" for i in range(layers) for kind in ("decoder", "encoder") for kv in ("key", "value")]


class EncoderGraph(nn.Module):
    def __init__(self, model: T5ForConditionalGeneration):
        super().__init__()
        self.encoder = model.encoder

    def forward(self, input_ids, attention_mask):
        return self.encoder(input_ids, attention_mask)


class MergedDecoderGraph(nn.Module):
    def __init__(self, model: T5ForConditionalGeneration):
        super().__init__()
        self.decoder = model.decoder
        self.lm_head = model.lm_head

    def forward(self, input_ids, encoder_attention_mask, encoder_hidden_states, *past_flat):
        layers = len(self.decoder.block)
        self_past, cross = [], []
        for i in range(layers):
            dk, dv, ek, ev = past_flat[4 * i : 4 * i + 4]
            self_past.append((dk, dv))
            att = self.decoder.block[i].layer[1].EncDecAttention
            missing = encoder_hidden_states[:, ek.shape[2] :, :]
            cross.append((torch.cat([ek, att.shape(att.k(missing))], 2), torch.cat([ev, att.shape(att.v(missing))], 2)))
        hidden, presents = self.decoder(input_ids, encoder_attention_mask, cross, self_past)
        outputs = [self.lm_head(hidden)]
        for (k, v), (ck, cv) in zip(presents, cross):
            outputs += [k, v, ck, cv]
        return tuple(outputs)


def export_encoder(model: T5ForConditionalGeneration, path: Path) -> None:
    ids = torch.tensor([[5, 6, 7, 1], [8, 9, 1, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    axes = {"batch_size": 0, "encoder_sequence_length": 1}
    _export(
        EncoderGraph(model), (ids, mask), path,
        ["input_ids", "attention_mask"], ["last_hidden_state"],
        {"input_ids": _dims(axes), "attention_mask": _dims(axes), "last_hidden_state": _dims(axes)},
    )


def export_decoder(model: T5ForConditionalGeneration, path: Path) -> None:
    cfg = model.config
    layers, batch, past_len, enc_len, new_len = cfg.num_decoder_layers, 2, 3, 5, 2
    # A non-empty past of a different length than the encoder so every axis is traced
    # as dynamic; the test feeds empty pasts too.
    shape = (batch, cfg.num_heads, past_len, cfg.d_kv)
    enc_shape = (batch, cfg.num_heads, enc_len, cfg.d_kv)
    past = []
    for _ in range(layers):
        past += [torch.zeros(shape), torch.zeros(shape), torch.zeros(enc_shape), torch.zeros(enc_shape)]
    args = (torch.ones((batch, new_len), dtype=torch.long), torch.ones((batch, enc_len), dtype=torch.long), torch.zeros((batch, enc_len, cfg.d_model)), *past)
    inputs = ["input_ids", "encoder_attention_mask", "encoder_hidden_states", *past_names(layers, "past_key_values")]
    outputs = ["logits", *past_names(layers, "present")]
    axes: dict[str, dict[int, str]] = {
        "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
        "encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
        "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
        "logits": {0: "batch_size", 1: "decoder_sequence_length"},
    }
    for name in past_names(layers, "past_key_values"):
        axes[name] = {0: "batch_size", 2: "past_decoder_sequence_length" if ".decoder." in name else "encoder_sequence_length_out"}
    for name in past_names(layers, "present"):
        axes[name] = {0: "batch_size", 2: "past_decoder_sequence_length + 1" if ".decoder." in name else "encoder_sequence_length_out"}
    _export(MergedDecoderGraph(model), args, path, inputs, outputs, axes)


def _dims(axes: dict[str, int]) -> dict[int, str]:
    return {index: name for name, index in axes.items()}


def _export(module, args, path: Path, inputs, outputs, axes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            module.eval(), args, str(path), input_names=inputs, output_names=outputs,
            dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True,
        )
