"""The q8 forms the bundled models ship, `quantize_q8(model, form="rows")` (the default,
the fuser's) and `form="nd"` (the ranker's): per-row activation quantization spelled out in
standard nodes around MatMulInteger. onnxruntime-web's WASM has an int8 kernel for
MatMulInteger, so they compute 2-4x faster than the MatMulNBits form there
(bench/q8-session/README.md). "rows" works on the activation reshaped to [M, K] rows (any
M, 0 included: a decoder step can have none); "nd" on the activation as it is, with the
statistics as [..., 1] columns: 10 nodes fewer per activation and 2 per MatMul, the same
outputs bit for bit, but no empty activations (onnxruntime reduces them to the wrong shape).

Dynamic int8 quantization (the `_quantized` / q8 variant), like onnxruntime's
quantize_dynamic, without onnxruntime's Python package.

MatMul / Gemm with a constant 2-D weight W[K, N] become, by default (per-row activations):
    a_scale, a_zp = per row of A: (max(A,0) - min(A,0)) / 255, round(-min(A,0) / a_scale)
    A_q = uint8(clip(round(A / a_scale) + a_zp, 0, 255))   # DynamicQuantizeLinear's rule, per row
    acc = MatMulInteger(A_q, W_q, 0, w_zp) - a_zp * colsum(W_q - w_zp)   # exact int32
    Y = Cast(acc) * (a_scale * w_scale)
so every row (token) is quantized on its own and a row's output never depends on the
other rows of the batch, padding included (docs/reference.md §7.1: results must not depend
on batching). `per_row_activations=False` gives onnxruntime's quantize_dynamic scheme
instead: one DynamicQuantizeLinear scale for the whole tensor (cheaper, batch-dependent).
W_q is symmetric per output column (w_scale[N]). W_q is stored as uint8 with a zero
point of 128 (value = (q - 128) * scale): mathematically the symmetric int8 scheme, but
u8 x u8 avoids the int16 saturation of onnxruntime's u8 x s8 AVX2 kernels (vpmaddubsw),
see README.md. Activations that feed several MatMuls are quantized once.

Gather on a constant embedding table of at least `embedding_min_bytes` becomes a Gather
of int8 rows and of per-row scales, Cast, Mul (symmetric per row).

Graph inputs and outputs keep their names and dtypes. Runs on onnxruntime-node and
onnxruntime-web WASM (not on WebGPU, where these nodes fall back to the CPU).
"""
from __future__ import annotations

import numpy as np
from onnx import ModelProto, NodeProto, TensorProto

from common.onnx_graph import drop_unused_initializers, iter_graphs, node, to_array
from common.quantize_embedding import Int8EmbeddingRewrite

DEFAULT_EMBEDDING_MIN_BYTES = 1 << 20


def quantize_weight_per_column(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """W[K, N] float -> (q uint8 [K, N] with zero point 128, scale float32 [N]);
    W ~= (q - 128) * scale, |q - 128| <= 127."""
    absmax = np.abs(w).max(axis=0).astype(np.float32)
    scale = np.where(absmax > 0, absmax / np.float32(127), np.float32(1)).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int16) + 128
    return q.astype(np.uint8), scale


class _Q8Rewriter(Int8EmbeddingRewrite):
    def __init__(self, model: ModelProto, embedding_min_bytes: int, min_weight_elements: int,
                 per_row_activations: bool, nd: bool = False):
        super().__init__(model)
        self.per_row = per_row_activations
        self.nd = nd
        self.opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 17)
        self.embedding_min_bytes = embedding_min_bytes
        self.min_weight_elements = min_weight_elements
        self.weight_cache: dict[tuple[str, bool], tuple[str, str, str, str]] = {}
        self.table_cache: dict[str, tuple[str, str]] = {}

    def quantized_weight(self, name: str, transpose: bool, w: np.ndarray) -> tuple[str, str, str, str]:
        """(W_q, w_scale, w_zp, colsum) initializer names; colsum[n] = sum_k (W_q - 128)
        as int32, the correction for a per-row activation zero point."""
        key = (name, transpose)
        if key not in self.weight_cache:
            q, scale = quantize_weight_per_column(w.T if transpose else w)
            base = f"{name}{'_T' if transpose else ''}"
            colsum = (q.astype(np.int32) - 128).sum(axis=0, dtype=np.int32)
            self.weight_cache[key] = (
                self.add_init(f"{base}_q8", q),
                self.add_init(f"{base}_q8_scale", scale),
                self.add_init(f"{base}_q8_zp", np.full(q.shape[1], 128, np.uint8)),
                self.add_init(f"{base}_q8_colsum", colsum) if self.per_row else "",
            )
        return self.weight_cache[key]

    def run(self) -> ModelProto:
        for graph in iter_graphs(self.model.graph):
            act_cache: dict[str, tuple[str, str, str]] = {}
            out: list[NodeProto] = []
            for n in graph.node:
                replaced = self.rewrite(n, act_cache, out)
                if not replaced:
                    out.append(n)
            graph.ClearField("node")
            graph.node.extend(out)
        self.model.graph.initializer.extend(self.new_inits)
        drop_unused_initializers(self.model)
        return self.model

    def quantized_activation(self, a: str, k: int, act_cache: dict, out: list[NodeProto]) -> tuple[str, str, str, str]:
        """(A_q uint8, a_scale, a_zp, leading shape) for activation `a`, made once per graph.
        Per row: A_q is [M, K], a_scale f32 and a_zp int32 are [M, 1], leading shape is A's
        shape without its last dim; per tensor: DynamicQuantizeLinear's outputs and ""."""
        if a in act_cache:
            return act_cache[a]
        f = self.namer.fresh
        if self.nd:
            act_cache[a] = self.quantized_activation_nd(a, out)
            return act_cache[a]
        if not self.per_row:
            q, s, zp = (f(f"{a}_{x}") for x in ("quant", "scale", "zero_point"))
            out.append(node("DynamicQuantizeLinear", [a], [q, s, zp], f(f"{a}_DynamicQuantizeLinear")))
            act_cache[a] = (q, s, zp, "")
            return act_cache[a]
        # Rows = every leading index: work on A as [M, K] so each row gets its own scale
        # and zero point, broadcast as [M, 1] columns.
        c = self.row_constants()
        t = {x: f(f"{a}_{x}") for x in (
            "rows", "stat_rows", "padded_min", "padded_max", "row_min", "row_max", "lo", "hi", "range",
            "scale_raw", "scale", "neg_lo", "zp_raw", "zp_round", "zp_f", "zp_i32", "zp_col", "zp_f_col",
            "scale_col", "scaled", "rounded", "shifted", "clipped", "quant", "shape", "lead")}
        out += [
            node("Reshape", [a, self.rows_shape(k)], [t["rows"]], f(f"{a}_AsRows")),
            # Statistics over the rows plus one zero row, then that row dropped: onnxruntime
            # reduces an empty [0, K] input to the wrong shape, and a decoder step can have no
            # rows (a cross-attention projection with nothing new to project).
            node("Concat", [t["rows"], self.zero_row(k)], [t["stat_rows"]], f(f"{a}_StatRows"), axis=0),
            *self.reduce("ReduceMin", t["stat_rows"], t["padded_min"], f(f"{a}_PaddedMin")),
            *self.reduce("ReduceMax", t["stat_rows"], t["padded_max"], f(f"{a}_PaddedMax")),
            node("Slice", [t["padded_min"], c["first"], c["last_axis"]], [t["row_min"]], f(f"{a}_RowMin")),
            node("Slice", [t["padded_max"], c["first"], c["last_axis"]], [t["row_max"]], f(f"{a}_RowMax")),
            *self.scale_and_zero_point(a, t, clip_zero_point=True),
            node("Unsqueeze", [t["zp_i32"], c["last_axis"]], [t["zp_col"]], f(f"{a}_RowZpCol")),
            node("Unsqueeze", [t["scale"], c["last_axis"]], [t["scale_col"]], f(f"{a}_RowScaleCol")),
            node("Unsqueeze", [t["zp_f"], c["last_axis"]], [t["zp_f_col"]], f(f"{a}_RowZpFCol")),
            *self.quantize(a, t["rows"], t["scale_col"], t["zp_f_col"], t),
            node("Shape", [a], [t["shape"]], f(f"{a}_Shape")),
            node("Slice", [t["shape"], c["first"], c["last_axis"], c["first"]], [t["lead"]], f(f"{a}_LeadShape")),
        ]
        act_cache[a] = (t["quant"], t["scale_col"], t["zp_col"], t["lead"])
        return act_cache[a]

    def quantized_activation_nd(self, a: str, out: list[NodeProto]) -> tuple[str, str, str, str]:
        """The same per-row rule on A as it is, [..., K]: statistics are last-axis reductions
        kept as [..., 1] columns. No Reshape to rows and back, no zero row, and no Clip of the
        zero point (-lo / scale lies in [0, 255] already: lo <= 0 and scale >= -lo / 255), so
        its outputs equal the rows form's bit for bit, in 16 nodes instead of 26. An empty
        activation is out of its reach: onnxruntime reduces [..., 0, K] to the wrong shape."""
        f = self.namer.fresh
        t = {x: f(f"{a}_{x}") for x in ("row_min", "row_max", "lo", "hi", "range", "scale_raw", "scale", "neg_lo",
                                          "zp_raw", "zp_f", "zp_i32", "scaled", "rounded", "shifted", "clipped", "quant")}
        out += [
            *self.reduce("ReduceMin", a, t["row_min"], f(f"{a}_RowMin"), keepdims=1),
            *self.reduce("ReduceMax", a, t["row_max"], f(f"{a}_RowMax"), keepdims=1),
            *self.scale_and_zero_point(a, t, clip_zero_point=False),
            *self.quantize(a, a, t["scale"], t["zp_f"], t),
        ]
        return t["quant"], t["scale"], t["zp_i32"], ""

    def scale_and_zero_point(self, a: str, t: dict[str, str], clip_zero_point: bool) -> list[NodeProto]:
        """t["row_min"], t["row_max"] -> t["scale"] (float) and t["zp_f"] (float), t["zp_i32"]:
        DynamicQuantizeLinear's rule, range widened to include 0."""
        f, c = self.namer.fresh, self.row_constants()
        rounded = t["zp_round"] if clip_zero_point else t["zp_f"]
        return [
            node("Min", [t["row_min"], c["zero"]], [t["lo"]], f(f"{a}_RowLo")),
            node("Max", [t["row_max"], c["zero"]], [t["hi"]], f(f"{a}_RowHi")),
            node("Sub", [t["hi"], t["lo"]], [t["range"]], f(f"{a}_RowRange")),
            node("Div", [t["range"], c["levels"]], [t["scale_raw"]], f(f"{a}_RowScaleRaw")),
            # an all-zero row: any positive scale quantizes it to zp = 0, q = 0
            node("Max", [t["scale_raw"], c["tiny"]], [t["scale"]], f(f"{a}_RowScale")),
            node("Neg", [t["lo"]], [t["neg_lo"]], f(f"{a}_RowNegLo")),
            node("Div", [t["neg_lo"], t["scale"]], [t["zp_raw"]], f(f"{a}_RowZpRaw")),
            node("Round", [t["zp_raw"]], [rounded], f(f"{a}_RowZpRound")),
            *([node("Clip", [t["zp_round"], c["zero"], c["levels"]], [t["zp_f"]], f(f"{a}_RowZpClip"))]
              if clip_zero_point else []),
            node("Cast", [t["zp_f"]], [t["zp_i32"]], f(f"{a}_RowZpI32"), to=TensorProto.INT32),
        ]

    def quantize(self, a: str, x: str, scale: str, zero_point: str, t: dict[str, str]) -> list[NodeProto]:
        """x -> t["quant"] uint8: QuantizeLinear by hand (round half to even, + zp, saturate);
        a per-axis QuantizeLinear rejects the empty row sets a decoder step can produce."""
        f, c = self.namer.fresh, self.row_constants()
        return [
            node("Div", [x, scale], [t["scaled"]], f(f"{a}_QuantScale")),
            node("Round", [t["scaled"]], [t["rounded"]], f(f"{a}_QuantRound")),
            node("Add", [t["rounded"], zero_point], [t["shifted"]], f(f"{a}_QuantShift")),
            node("Clip", [t["shifted"], c["zero"], c["levels"]], [t["clipped"]], f(f"{a}_QuantClip")),
            node("Cast", [t["clipped"]], [t["quant"]], f(f"{a}_Quant"), to=TensorProto.UINT8),
        ]

    def reduce(self, op: str, x: str, y: str, name: str, keepdims: int = 0) -> list[NodeProto]:
        """Last-axis reduction in the model's opset (axes moved to an input in 18)."""
        if self.opset >= 18:
            return [node(op, [x, self.row_constants()["last_axis"]], [y], name, keepdims=keepdims)]
        return [node(op, [x], [y], name, axes=[-1], keepdims=keepdims)]

    def rows_shape(self, k: int) -> str:
        """Initializer [-1, k]: an activation [..., k] as rows."""
        if not hasattr(self, "_rows_shapes"):
            self._rows_shapes: dict[int, str] = {}
        if k not in self._rows_shapes:
            self._rows_shapes[k] = self.add_init(f"q8_rows_shape_{k}", np.array([-1, k], np.int64))
        return self._rows_shapes[k]

    def zero_row(self, k: int) -> str:
        """Initializer zeros [1, k]."""
        if not hasattr(self, "_zero_rows"):
            self._zero_rows: dict[int, str] = {}
        if k not in self._zero_rows:
            self._zero_rows[k] = self.add_init(f"q8_zero_row_{k}", np.zeros((1, k), np.float32))
        return self._zero_rows[k]

    def row_constants(self) -> dict[str, str]:
        if not hasattr(self, "_row_constants"):
            self._row_constants = {
                "zero": self.add_init("q8_zero", np.array(0, np.float32)),
                "levels": self.add_init("q8_levels", np.array(255, np.float32)),
                "tiny": self.add_init("q8_min_scale", np.array(np.finfo(np.float32).tiny, np.float32)),
                "last_axis": self.add_init("q8_last_axis", np.array([-1], np.int64)),
                "first": self.add_init("q8_first", np.array([0], np.int64)),
            }
        return self._row_constants

    def emit_matmul(self, n: NodeProto, a: str, w_name: str, w: np.ndarray, transpose: bool,
                    alpha: float, y: str, act_cache: dict, out: list[NodeProto]) -> None:
        wq, wscale, wzp, colsum = self.quantized_weight(w_name, transpose, w)
        if alpha != 1.0:
            scaled = to_array(next(i for i in self.new_inits if i.name == wscale)) * np.float32(alpha)
            wscale = self.add_init(f"{wscale}_alpha", scaled.astype(np.float32))
        k = w.shape[1] if transpose else w.shape[0]
        aq, ascale, azp, lead = self.quantized_activation(a, k, act_cache, out)
        base = n.name or y
        f = self.namer.fresh
        acc, acc_f, scale = (f(f"{base}_{x}") for x in ("int32", "float", "scale"))
        as_rows = self.per_row and not self.nd  # the result comes back as rows, reshaped after
        y_out = y
        if self.per_row:
            raw, corr = (f(f"{base}_{x}") for x in ("int32_raw", "zp_correction"))
            if as_rows:
                y_out, out_shape = (f(f"{base}_{x}") for x in ("rows", "out_shape"))
                n_out = self.add_init(f"{base}_n", np.array([w.shape[0] if transpose else w.shape[1]], np.int64))
            out.append(node("MatMulInteger", [aq, wq, "", wzp], [raw], f(f"{base}_MatMulInteger")))
            out.append(node("Mul", [azp, colsum], [corr], f(f"{base}_ZpCorrection")))
            out.append(node("Sub", [raw, corr], [acc], f(f"{base}_SubZp")))
        else:
            out.append(node("MatMulInteger", [aq, wq, azp, wzp], [acc], f(f"{base}_MatMulInteger")))
        out.append(node("Cast", [acc], [acc_f], f(f"{base}_Cast"), to=TensorProto.FLOAT))
        out.append(node("Mul", [ascale, wscale], [scale], f(f"{base}_ScaleMul")))
        out.append(node("Mul", [acc_f, scale], [y_out], f(f"{base}_Dequant")))
        if as_rows:
            out.append(node("Concat", [lead, n_out], [out_shape], f(f"{base}_OutShape"), axis=0))
            # allowzero: an empty leading dim is a real 0, not "copy the input's dim".
            out.append(node("Reshape", [y_out, out_shape], [y], f(f"{base}_Unrows"), allowzero=1))

    def rewrite(self, n: NodeProto, act_cache: dict, out: list[NodeProto]) -> bool:
        if n.op_type == "MatMul" and n.domain in ("", "ai.onnx"):
            w = self.const(n.input[1])
            if not self.eligible(w, False):
                return False
            self.emit_matmul(n, n.input[0], n.input[1], w, False, 1.0, n.output[0], act_cache, out)
            self.count["matmul"] += 1
            return True
        if n.op_type == "Gemm":
            return self.rewrite_gemm(n, out, self.eligible, lambda w, trans_b, alpha, y: self.emit_matmul(
                n, n.input[0], n.input[1], w, trans_b, alpha, y, act_cache, out))
        if n.op_type == "Gather":
            return self.rewrite_gather(n, out)
        return False

    def eligible(self, w: np.ndarray | None, transpose: bool) -> bool:
        """A constant 2-D float32 weight of at least min_weight_elements (any orientation)."""
        return w is not None and w.ndim == 2 and w.dtype == np.float32 and w.size >= self.min_weight_elements


def quantize_q8(
    model: ModelProto,
    embedding_min_bytes: int = DEFAULT_EMBEDDING_MIN_BYTES,
    min_weight_elements: int = 0,
    per_row_activations: bool = True,
    nd: bool = False,
) -> ModelProto:
    """Rewrites `model` in place (and returns it): int8 MatMul/Gemm with constant weights
    of at least `min_weight_elements`, int8 embedding tables of at least
    `embedding_min_bytes` (pass 0 to quantize every constant Gather table); activations
    quantized per row (default) or per tensor (`per_row_activations=False`). `nd=True`:
    per row on the activation as it is (no Reshape to rows; not for empty activations)."""
    return _Q8Rewriter(model, embedding_min_bytes, min_weight_elements, per_row_activations, nd).run()
