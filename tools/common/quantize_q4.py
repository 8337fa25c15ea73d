"""4-bit weight quantization (the `_q4` variant) for onnxruntime-web WASM and WebGPU.

MatMul / Gemm with a constant 2-D weight W[K, N] become com.microsoft MatMulNBits
(bits 4, block_size 32 by default), per onnxruntime's ContribOperators spec:
  B            uint8 [N, n_blocks, block_size / 2]: column n of W, K padded with zeros to
               n_blocks * block_size, two codes per byte, the earlier k in the LOW nibble;
  scales       float32 [N * n_blocks] (row-major [N][n_blocks]);
  zero_points  uint8 [N * ceil(n_blocks / 2)]: per column n, the blocks' zero points
               packed two per byte, low nibble first, each column padded to whole bytes;
               absent when `symmetric` (then the kernel's implied zero point is 8);
  W[k, n] ~= (code - zero_point) * scale.
Matrices with K < `min_k` or N < `min_n` (e.g. a 1-output head) stay fp32 MatMul.

Gather on a constant embedding table of at least `embedding_min_bytes` uses standard ONNX
ops only (runs on every backend): rows are stored as uint8 with two 4-bit codes per byte
(byte j holds column j in its low nibble and column j + D/2 in its high nibble, D padded
to a block multiple), plus per-row, per-block float32 scale and minimum (not fp16: a
float16 Gather needs WebGPU's shader-f16, which many devices lack):
  P = Cast(Gather(packed, ids)); hi = Floor(P / 16); lo = P - 16 * hi
  rows = Concat(lo, hi) as [..., blocks, 32] * scale + minimum, reshaped to [..., D].

Graph inputs and outputs keep their names and dtypes.
"""
from __future__ import annotations

import numpy as np
from onnx import ModelProto, NodeProto, TensorProto

from common.onnx_graph import InitializerRewriter, add_opset, block_weight_eligible, drop_unused_initializers, iter_graphs, node

DEFAULT_EMBEDDING_MIN_BYTES = 1 << 20


def quantize_blocks_4bit(w: np.ndarray, block_size: int, symmetric: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """W[K, N] -> (codes uint8 [N, n_blocks, block_size], scales f32 [N, n_blocks],
    zero_points uint8 [N, n_blocks]) with W[k, n] ~= (code - zp) * scale; K zero-padded."""
    k, n = w.shape
    n_blocks = -(-k // block_size)
    padded = np.zeros((n_blocks * block_size, n), np.float32)
    padded[:k] = w
    blocks = padded.T.reshape(n, n_blocks, block_size)
    if symmetric:
        # Largest-magnitude value maps to code 0 (-8 * scale): onnxruntime's own convention.
        idx = np.abs(blocks).argmax(axis=2)[..., None]
        extreme = np.take_along_axis(blocks, idx, axis=2)[..., 0]
        scale = (extreme / np.float32(-8)).astype(np.float32)
        zp = np.full(scale.shape, 8, np.uint8)
    else:
        lo = np.minimum(blocks.min(axis=2), 0).astype(np.float32)
        hi = np.maximum(blocks.max(axis=2), 0).astype(np.float32)
        scale = ((hi - lo) / np.float32(15)).astype(np.float32)
        safe = np.where(scale != 0, scale, np.float32(1))
        zp = np.clip(np.rint(-lo / safe), 0, 15).astype(np.uint8)
    safe = np.where(scale != 0, scale, np.float32(1))
    codes = np.clip(np.rint(blocks / safe[..., None]) + zp[..., None], 0, 15).astype(np.uint8)
    return codes, scale, zp


def pack_low_first(codes: np.ndarray) -> np.ndarray:
    """Packs 4-bit codes along the last axis (even length), element 2i in the low nibble."""
    return (codes[..., 0::2] | (codes[..., 1::2] << 4)).astype(np.uint8)


def pack_zero_points(zp: np.ndarray) -> np.ndarray:
    """zp uint8 [N, n_blocks] -> [N * ceil(n_blocks / 2)], each column padded to bytes."""
    n, n_blocks = zp.shape
    padded = np.zeros((n, n_blocks + n_blocks % 2), np.uint8)
    padded[:, :n_blocks] = zp
    return pack_low_first(padded).reshape(-1)


def dequantize_blocks_4bit(codes: np.ndarray, scale: np.ndarray, zp: np.ndarray, k: int) -> np.ndarray:
    """Inverse of quantize_blocks_4bit: W[K, N] float32."""
    values = (codes.astype(np.float32) - zp[..., None]) * scale[..., None]
    n = codes.shape[0]
    return values.reshape(n, -1)[:, :k].T.copy()


def quantize_table_4bit(table: np.ndarray, block_size: int, chunk_rows: int = 8192) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """table[V, D] -> (packed uint8 [V, Dp/2], scale f32 [V, blocks, 1], minimum f32 [V, blocks, 1]),
    row ~= code * scale + minimum per block of `block_size` columns. Row chunks keep the
    float temporaries small for 128k-row tables."""
    v, d = table.shape
    n_blocks = -(-d // block_size)
    if n_blocks % 2:  # the half-row nibble split needs an even number of blocks
        n_blocks += 1
    dp = n_blocks * block_size
    packed = np.empty((v, dp // 2), np.uint8)
    scale_out = np.empty((v, n_blocks, 1), np.float32)
    min_out = np.empty((v, n_blocks, 1), np.float32)
    for start in range(0, v, chunk_rows):
        rows = table[start : start + chunk_rows]
        padded = np.zeros((rows.shape[0], dp), np.float32)
        padded[:, :d] = rows
        blocks = padded.reshape(rows.shape[0], n_blocks, block_size)
        lo = blocks.min(axis=2, keepdims=True)
        hi = blocks.max(axis=2, keepdims=True)
        scale = ((hi - lo) / np.float32(15)).astype(np.float32)
        safe = np.where(scale > 0, scale, np.float32(1))
        codes = np.clip(np.rint((blocks - lo) / safe), 0, 15).astype(np.uint8).reshape(rows.shape[0], dp)
        packed[start : start + chunk_rows] = codes[:, : dp // 2] | (codes[:, dp // 2 :] << 4)
        scale_out[start : start + chunk_rows] = scale
        min_out[start : start + chunk_rows] = lo
    return packed, scale_out, min_out


class _Q4Rewriter(InitializerRewriter):
    def __init__(self, model: ModelProto, block_size: int, symmetric: bool, min_k: int, min_n: int,
                 embedding_min_bytes: int, accuracy_level: int):
        super().__init__(model)
        self.block_size, self.symmetric = block_size, symmetric
        self.min_k, self.min_n = min_k, min_n
        self.embedding_min_bytes, self.accuracy_level = embedding_min_bytes, accuracy_level
        self.weight_cache: dict[tuple[str, bool, float], list[str]] = {}
        self.table_cache: dict[str, tuple[str, str, str, int, int]] = {}

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
            self.emit_nbits(n, n.input[0], n.input[1], w, False, 1.0, n.output[0], out)
            self.count["matmul"] += 1
            return True
        if n.op_type == "Gemm":
            return self.rewrite_gemm(n, out, self.eligible, lambda w, trans_b, alpha, y: self.emit_nbits(
                n, n.input[0], n.input[1], w, trans_b, alpha, y, out))
        if n.op_type == "Gather":
            return self.rewrite_gather(n, out)
        return False

    def emit_nbits(self, n: NodeProto, a: str, w_name: str, w: np.ndarray, transpose: bool,
                   alpha: float, y: str, out: list[NodeProto]) -> None:
        wk = w.T if transpose else w
        k, n_out = wk.shape
        key = (w_name, transpose, alpha)
        if key not in self.weight_cache:
            codes, scale, zp = quantize_blocks_4bit(wk, self.block_size, self.symmetric)
            base = f"{w_name}{'_T' if transpose else ''}"
            names = [
                self.add_init(f"{base}_q4", pack_low_first(codes)),
                self.add_init(f"{base}_q4_scales", (scale * np.float32(alpha)).reshape(-1).astype(np.float32)),
            ]
            if not self.symmetric:
                names.append(self.add_init(f"{base}_q4_zero_points", pack_zero_points(zp)))
            self.weight_cache[key] = names
        out.append(node(
            "MatMulNBits", [a, *self.weight_cache[key]], [y], self.namer.fresh(f"{n.name or y}_MatMulNBits"),
            domain="com.microsoft", K=k, N=n_out, bits=4, block_size=self.block_size,
            accuracy_level=self.accuracy_level,
        ))

    def rewrite_gather(self, n: NodeProto, out: list[NodeProto]) -> bool:
        table = self.embedding_table(n, self.embedding_min_bytes)
        if table is None:
            return False
        name = n.input[0]
        if name not in self.table_cache:
            packed, scale, minimum = quantize_table_4bit(table, self.block_size)
            self.table_cache[name] = (
                self.add_init(f"{name}_q4", packed), self.add_init(f"{name}_q4_scale", scale),
                self.add_init(f"{name}_q4_min", minimum), scale.shape[1], table.shape[1],
            )
        packed_name, scale_name, min_name, n_blocks, d = self.table_cache[name]
        ids, y = n.input[1], n.output[0]
        base = n.name or y
        t = {x: self.namer.fresh(f"{base}_{x}") for x in (
            "packed", "packed_f", "hi_div", "hi", "hi16", "lo", "codes", "ids_shape", "block_shape",
            "blocks", "scale", "min", "scaled", "dequant", "row_shape", "rows", "slice")}
        c = {
            "sixteenth": self.add_init(f"{base}_c_sixteenth", np.array(1 / 16, np.float32)),
            "sixteen": self.add_init(f"{base}_c_sixteen", np.array(16, np.float32)),
            "block": self.add_init(f"{base}_c_block", np.array([n_blocks, self.block_size], np.int64)),
            "width": self.add_init(f"{base}_c_width", np.array([n_blocks * self.block_size], np.int64)),
        }
        f = self.namer.fresh
        out += [
            node("Gather", [packed_name, ids], [t["packed"]], f(f"{base}_GatherPacked"), axis=0),
            node("Cast", [t["packed"]], [t["packed_f"]], f(f"{base}_CastPacked"), to=TensorProto.FLOAT),
            node("Mul", [t["packed_f"], c["sixteenth"]], [t["hi_div"]], f(f"{base}_HiDiv")),
            node("Floor", [t["hi_div"]], [t["hi"]], f(f"{base}_HiFloor")),
            node("Mul", [t["hi"], c["sixteen"]], [t["hi16"]], f(f"{base}_Hi16")),
            node("Sub", [t["packed_f"], t["hi16"]], [t["lo"]], f(f"{base}_Lo")),
            node("Concat", [t["lo"], t["hi"]], [t["codes"]], f(f"{base}_Codes"), axis=-1),
            node("Shape", [ids], [t["ids_shape"]], f(f"{base}_IdsShape")),
            node("Concat", [t["ids_shape"], c["block"]], [t["block_shape"]], f(f"{base}_BlockShape"), axis=0),
            node("Reshape", [t["codes"], t["block_shape"]], [t["blocks"]], f(f"{base}_ToBlocks")),
            node("Gather", [scale_name, ids], [t["scale"]], f(f"{base}_GatherScale"), axis=0),
            node("Gather", [min_name, ids], [t["min"]], f(f"{base}_GatherMin"), axis=0),
            node("Mul", [t["blocks"], t["scale"]], [t["scaled"]], f(f"{base}_Scale")),
            node("Add", [t["scaled"], t["min"]], [t["dequant"]], f(f"{base}_AddMin")),
            node("Concat", [t["ids_shape"], c["width"]], [t["row_shape"]], f(f"{base}_RowShape"), axis=0),
        ]
        padded = n_blocks * self.block_size != d
        out.append(node("Reshape", [t["dequant"], t["row_shape"]], [t["rows"] if padded else y], f(f"{base}_ToRows")))
        if padded:
            starts = self.add_init(f"{base}_c_start", np.array([0], np.int64))
            ends = self.add_init(f"{base}_c_end", np.array([d], np.int64))
            axes = self.add_init(f"{base}_c_axis", np.array([-1], np.int64))
            out.append(node("Slice", [t["rows"], starts, ends, axes], [y], f(f"{base}_TrimPadding")))
        self.count["gather"] += 1
        return True


def quantize_q4(
    model: ModelProto,
    block_size: int = 32,
    symmetric: bool = False,
    min_k: int = 32,
    min_n: int = 2,
    embedding_min_bytes: int = DEFAULT_EMBEDDING_MIN_BYTES,
    accuracy_level: int = 0,
) -> ModelProto:
    """Rewrites `model` in place (and returns it). Weights with K < min_k or N < min_n stay
    fp32; embedding tables below `embedding_min_bytes` stay fp32 (pass 0 to take all)."""
    if block_size < 16 or block_size & (block_size - 1):
        raise ValueError("block_size must be a power of two >= 16")
    return _Q4Rewriter(model, block_size, symmetric, min_k, min_n, embedding_min_bytes, accuracy_level).run()
