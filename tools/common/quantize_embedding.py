"""The int8 embedding both q8 forms share (quantize_q8.py, quantize_q8_rows.py): a constant
Gather table of at least `embedding_min_bytes` becomes int8 rows and a float32 scale per row
(symmetric), read back by `Gather, Gather, Cast, Mul`: standard ops, so every backend runs it.
"""
from __future__ import annotations

import numpy as np
from onnx import NodeProto, TensorProto

from common.onnx_graph import InitializerRewriter, node


def quantize_rows_int8(table: np.ndarray, chunk_rows: int = 8192) -> tuple[np.ndarray, np.ndarray]:
    """table[V, D] -> (int8 [V, D], float32 scales [V, 1]) with table ~= q * scale.
    Works in row chunks: a 128k x 1024 table needs no full-size float temporaries."""
    q = np.empty(table.shape, np.int8)
    scale = np.empty((table.shape[0], 1), np.float32)
    for start in range(0, table.shape[0], chunk_rows):
        rows = table[start : start + chunk_rows]
        absmax = np.abs(rows).max(axis=1, keepdims=True).astype(np.float32)
        s = np.where(absmax > 0, absmax / np.float32(127), np.float32(1)).astype(np.float32)
        q[start : start + chunk_rows] = np.clip(np.rint(rows / s), -127, 127)
        scale[start : start + chunk_rows] = s
    return q, scale


class Int8EmbeddingRewrite(InitializerRewriter):
    """Base of both q8 rewriters: a subclass sets table_cache and embedding_min_bytes."""

    def rewrite_gather(self, n: NodeProto, out: list[NodeProto]) -> bool:
        table = self.embedding_table(n, self.embedding_min_bytes)
        if table is None:
            return False
        name = n.input[0]
        if name not in self.table_cache:
            q, scale = quantize_rows_int8(table)
            self.table_cache[name] = (self.add_init(f"{name}_q8", q), self.add_init(f"{name}_q8_scale", scale))
        q_name, s_name = self.table_cache[name]
        base = n.name or n.output[0]
        rows, rows_f, scales = (self.namer.fresh(f"{base}_{x}") for x in ("rows_q8", "rows_float", "row_scales"))
        ids = n.input[1]
        out.append(node("Gather", [q_name, ids], [rows], self.namer.fresh(f"{base}_GatherRows"), axis=0))
        out.append(node("Gather", [s_name, ids], [scales], self.namer.fresh(f"{base}_GatherScales"), axis=0))
        out.append(node("Cast", [rows], [rows_f], self.namer.fresh(f"{base}_Cast"), to=TensorProto.FLOAT))
        out.append(node("Mul", [rows_f, scales], [n.output[0]], self.namer.fresh(f"{base}_Dequant")))
        self.count["gather"] += 1
        return True
