"""8-bit quantization (the `_quantized` / q8 variant), in three forms.

`form="rows"` (the default; the fuser ships it) and `form="nd"` (the ranker ships it),
quantize_q8_rows.py: per-row dynamic int8 activations around MatMulInteger, spelled out in
standard nodes; "rows" on the activation reshaped to 2-D rows (any row count, none
included), "nd" on the activation as it is (16 nodes per activation instead of 26, outputs
equal bit for bit; not for empty activations). onnxruntime-web's WASM build has an int8
kernel for MatMulInteger, so these compute 2-4x faster per pair there than `form="nbits"`,
and WASM is where `dtype: 'auto'` picks q8. With the graph's dims named
(symbolic_dims.py), the ranker's "nd" session costs 1.3-1.7x q4's; without, the rows form's
took 5-9x (bench/q8-session/README.md).

`form="nbits"`: q4's graph form. MatMul / Gemm with a constant 2-D weight W[K, N] become one
com.microsoft MatMulNBits node with bits 8, per onnxruntime's ContribOperators spec:
  B       uint8 [N, n_blocks, block_size]: column n of W, K padded with zeros to
          n_blocks * block_size, one code per byte;
  scales  float32 [N * n_blocks] (row-major [N][n_blocks]);
  no zero_points input: the kernel's implied zero point for 8 bits is 128, so
  W[k, n] ~= (code - 128) * scale with |code - 128| <= 127 (symmetric per block).
`accuracy_level` 4 (default) lets onnxruntime's CPU kernels quantize the activation to int8
per block of `block_size` along K, inside each row, and use int8 dot products: a row's
output never depends on the other rows of the batch (docs/reference.md §7.1). Where a
backend has no such kernel (onnxruntime-web WASM) it dequantizes W and multiplies in
float32 on every run: slower than fp32 there. Its session costs ~1.3x q4's. Not shipped.
Matrices with K < `min_k` or N < `min_n` (e.g. a 1-output head) stay fp32 MatMul, as in q4.

In both forms, Gather on a constant embedding table of at least `embedding_min_bytes`
becomes a Gather of int8 rows and of per-row scales, Cast, Mul (symmetric per row; standard
ops, so every backend runs it). Graph inputs and outputs keep their names and dtypes.
"""
from __future__ import annotations

import numpy as np
from onnx import ModelProto, NodeProto

from common.onnx_graph import (
    add_opset, block_weight_eligible, drop_unused_initializers, iter_graphs, node,
)
from common.quantize_embedding import Int8EmbeddingRewrite

DEFAULT_EMBEDDING_MIN_BYTES = 1 << 20
DEFAULT_BLOCK_SIZE = 32
DEFAULT_ACCURACY_LEVEL = 4


def quantize_blocks_8bit(w: np.ndarray, block_size: int) -> tuple[np.ndarray, np.ndarray]:
    """W[K, N] -> (codes uint8 [N, n_blocks, block_size], scales f32 [N, n_blocks]) with
    W[k, n] ~= (code - 128) * scale, symmetric per block (absmax / 127); K zero-padded."""
    k, n = w.shape
    n_blocks = -(-k // block_size)
    padded = np.zeros((n_blocks * block_size, n), np.float32)
    padded[:k] = w
    blocks = padded.T.reshape(n, n_blocks, block_size)
    absmax = np.abs(blocks).max(axis=2).astype(np.float32)
    scale = np.where(absmax > 0, absmax / np.float32(127), np.float32(1)).astype(np.float32)
    codes = np.clip(np.rint(blocks / scale[..., None]), -127, 127).astype(np.int16) + 128
    return codes.astype(np.uint8), scale


def dequantize_blocks_8bit(codes: np.ndarray, scale: np.ndarray, k: int) -> np.ndarray:
    """Inverse of quantize_blocks_8bit: W[K, N] float32."""
    n = codes.shape[0]
    w = (codes.astype(np.float32) - np.float32(128)) * scale[..., None].astype(np.float32)
    return w.reshape(n, -1)[:, :k].T.copy()


class _Q8Rewriter(Int8EmbeddingRewrite):
    def __init__(self, model: ModelProto, block_size: int, accuracy_level: int, min_k: int, min_n: int,
                 embedding_min_bytes: int):
        super().__init__(model)
        self.block_size, self.accuracy_level = block_size, accuracy_level
        self.min_k, self.min_n = min_k, min_n
        self.embedding_min_bytes = embedding_min_bytes
        self.weight_cache: dict[tuple[str, bool, float], tuple[str, str]] = {}
        self.table_cache: dict[str, tuple[str, str]] = {}

    def eligible(self, w: np.ndarray | None, transpose: bool) -> bool:
        return block_weight_eligible(w, transpose, self.min_k, self.min_n)

    def run(self) -> ModelProto:
        for graph in iter_graphs(self.model.graph):
            out: list[NodeProto] = []
            for n in graph.node:
                if not self.rewrite(n, out):
                    out.append(n)
            graph.ClearField("node")
            graph.node.extend(out)
        self.model.graph.initializer.extend(self.new_inits)
        drop_unused_initializers(self.model)
        if self.count["matmul"] or self.count["gemm"]:
            add_opset(self.model, "com.microsoft", 1)
        return self.model

    def rewrite(self, n: NodeProto, out: list[NodeProto]) -> bool:
        if n.op_type == "MatMul" and n.domain in ("", "ai.onnx"):
            w = self.const(n.input[1])
            if not self.eligible(w, False):
                return False
            self.emit_nbits(n, n.input[1], w, False, 1.0, n.output[0], out)
            self.count["matmul"] += 1
            return True
        if n.op_type == "Gemm":
            return self.rewrite_gemm(n, out, self.eligible, lambda w, trans_b, alpha, y: self.emit_nbits(
                n, n.input[1], w, trans_b, alpha, y, out))
        if n.op_type == "Gather":
            return self.rewrite_gather(n, out)
        return False

    def emit_nbits(self, n: NodeProto, w_name: str, w: np.ndarray, transpose: bool, alpha: float, y: str,
                   out: list[NodeProto]) -> None:
        wk = w.T if transpose else w
        k, n_out = wk.shape
        key = (w_name, transpose, alpha)
        if key not in self.weight_cache:
            codes, scale = quantize_blocks_8bit(wk, self.block_size)
            base = f"{w_name}{'_T' if transpose else ''}"
            self.weight_cache[key] = (
                self.add_init(f"{base}_q8", codes),
                self.add_init(f"{base}_q8_scales", (scale * np.float32(alpha)).reshape(-1).astype(np.float32)),
            )
        out.append(node(
            "MatMulNBits", [n.input[0], *self.weight_cache[key]], [y], self.namer.fresh(f"{n.name or y}_MatMulNBits"),
            domain="com.microsoft", K=k, N=n_out, bits=8, block_size=self.block_size,
            accuracy_level=self.accuracy_level,
        ))



def quantize_q8(
    model: ModelProto,
    embedding_min_bytes: int = DEFAULT_EMBEDDING_MIN_BYTES,
    block_size: int = DEFAULT_BLOCK_SIZE,
    accuracy_level: int = DEFAULT_ACCURACY_LEVEL,
    min_k: int = 32,
    min_n: int = 2,
    form: str = "rows",
) -> ModelProto:
    """Rewrites `model` in place (and returns it). `form="rows"` (default) or `"nd"`: per-row
    activations around MatMulInteger for every constant-weight MatMul/Gemm
    (quantize_q8_rows.py; block_size, accuracy_level, min_k, min_n unused). `form="nbits"`:
    MatMul/Gemm with constant weights (K >= min_k, N >= min_n) as 8-bit MatMulNBits. Both:
    embedding tables of at least `embedding_min_bytes` as int8 rows (pass 0 to quantize
    every constant Gather table)."""
    if form in ("rows", "nd"):
        from common.quantize_q8_rows import quantize_q8 as quantize_q8_rows

        return quantize_q8_rows(model, embedding_min_bytes=embedding_min_bytes, nd=form == "nd")
    if form != "nbits":
        raise ValueError('form must be "rows", "nd" or "nbits"')
    if block_size < 16 or block_size & (block_size - 1):
        raise ValueError("block_size must be a power of two >= 16")
    if accuracy_level not in (0, 1, 2, 3, 4):
        raise ValueError("accuracy_level must be 0..4 (onnxruntime's MatMulNBits attribute)")
    return _Q8Rewriter(model, block_size, accuracy_level, min_k, min_n, embedding_min_bytes).run()
