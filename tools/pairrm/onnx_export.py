"""Exports PairRM to ONNX: input_ids, attention_mask (int64 [batch, sequence]) ->
logits (float32 [batch], left - right) and marker_hidden_states (float32 [batch, 3, hidden],
last-layer states at the source, cand1 and cand2 markers: cheap, and lets the oracle check
the backbone itself).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import onnx
import torch
from torch import nn

from tools.common.onnx_graph import compact_names
from tools.common.symbolic_dims import name_dims
from tools.pairrm.model import PairRM

OPSET = 17
EXTERNAL_DATA_NAME = "model.onnx_data"
# Protobuf files cannot pass 2 GiB; keep a margin for the graph itself.
MAX_INLINE_BYTES = 2**31 - 64 * 2**20


class PairRMForExport(nn.Module):
    def __init__(self, model: PairRM):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        out = self.model(input_ids, attention_mask)
        return out.logits, out.marker_hidden


def sample_inputs(model: PairRM) -> tuple[torch.Tensor, torch.Tensor]:
    """Two rows shaped like real ones (markers once each, second row padded)."""
    c = model.config
    body = [c.source_prefix_id, 11, 12, 2, 1, c.cand1_prefix_id, 13, 2, 1, c.cand2_prefix_id, 14, 2]
    ids = torch.tensor([[1] + body, [1] + body[:-2] + [2, 0]], dtype=torch.long) % c.vocab_size
    ids[:, [1, 6, 10]] = torch.tensor([c.source_prefix_id, c.cand1_prefix_id, c.cand2_prefix_id])
    mask = (torch.arange(ids.shape[1]) < torch.tensor([[ids.shape[1]], [ids.shape[1] - 1]])).long()
    return ids, mask


def initializer_bytes(proto: onnx.ModelProto) -> int:
    return sum(len(t.raw_data) for t in proto.graph.initializer)


def export_onnx(model: PairRM, out_path: Path) -> Path:
    """Writes out_path (and out_path's folder/model.onnx_data when the weights pass 2 GiB)."""
    model = model.eval()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pairrm_export_") as tmp:
        raw_path = Path(tmp) / "model.onnx"  # torch may scatter >2 GiB weights next to it
        with torch.no_grad():
            torch.onnx.export(
                PairRMForExport(model),
                sample_inputs(model),
                str(raw_path),
                input_names=["input_ids", "attention_mask"],
                output_names=["logits", "marker_hidden_states"],
                dynamic_axes={
                    "input_ids": {0: "batch_size", 1: "sequence_length"},
                    "attention_mask": {0: "batch_size", 1: "sequence_length"},
                    "logits": {0: "batch_size"},
                    "marker_hidden_states": {0: "batch_size"},
                },
                opset_version=OPSET,
                do_constant_folding=True,
            )
        proto = onnx.load(str(raw_path))  # pulls any external tensors in
    compact_names(proto)
    name_dims(proto)  # onnxruntime's memory planner matches buffers by these names
    proto.producer_name = "llm-blender-web tools/pairrm"
    proto.producer_version = "1"
    external = initializer_bytes(proto) > MAX_INLINE_BYTES
    (out_path.parent / EXTERNAL_DATA_NAME).unlink(missing_ok=True)
    if external:
        onnx.save_model(proto, str(out_path), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=EXTERNAL_DATA_NAME, size_threshold=1024)
        onnx.checker.check_model(str(out_path))
    else:
        onnx.checker.check_model(proto)
        onnx.save_model(proto, str(out_path))
    return out_path
