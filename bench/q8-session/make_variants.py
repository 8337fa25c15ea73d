"""Graphs for the q8 session-creation experiment (bench/q8-session/README.md), written to
.cache/q8-session/: the synth ranker's fp32 graph quantized by the earlier q8 rewriter
(tools/common/quantize_q8_rows.py, the form shipped until the MatMulNBits one: per row, per tensor, and per row
on the N-D tensor without the Reshape to rows and back), by tools/common/quantize_q8.py
(8-bit MatMulNBits, shipped now), and chains of N identical blocks of the node patterns
those graphs are made of, to see how session creation grows with N.

    /usr/bin/python3 bench/q8-session/make_variants.py
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools"))
from common.onnx_graph import node, to_array  # noqa: E402
from common.quantize_q8 import quantize_q8  # noqa: E402
from common.quantize_q8_rows import _Q8Rewriter, quantize_q8 as quantize_q8_rows  # noqa: E402

OUT = os.path.join(ROOT, ".cache", "q8-session")
SOURCE = os.path.join(ROOT, "public", "models", "synth-pairrm", "onnx", "model.onnx")


class NdRowsRewriter(_Q8Rewriter):
    """Per-row quantization with the same arithmetic, on the N-D activation: last-axis
    reductions with keepdims, so no Reshape to [M, K], no zero-row Concat, no Shape/Slice/
    Concat/Reshape back (and so no support for empty row sets, which the ranker never has)."""

    def quantized_activation(self, a, k, act_cache, out):
        if a in act_cache:
            return act_cache[a]
        f = self.namer.fresh
        c = self.row_constants()
        t = {x: f(f"{a}_{x}") for x in ("row_min", "row_max", "lo", "hi", "range", "scale_raw", "scale", "neg_lo", "zp_raw",
                                          "zp_round", "zp_f", "zp_i32", "scaled", "rounded", "shifted", "clipped", "quant")}
        out += [
            node("ReduceMin", [a], [t["row_min"]], f(f"{a}_RowMin"), axes=[-1], keepdims=1),
            node("ReduceMax", [a], [t["row_max"]], f(f"{a}_RowMax"), axes=[-1], keepdims=1),
            node("Min", [t["row_min"], c["zero"]], [t["lo"]], f(f"{a}_RowLo")),
            node("Max", [t["row_max"], c["zero"]], [t["hi"]], f(f"{a}_RowHi")),
            node("Sub", [t["hi"], t["lo"]], [t["range"]], f(f"{a}_RowRange")),
            node("Div", [t["range"], c["levels"]], [t["scale_raw"]], f(f"{a}_RowScaleRaw")),
            node("Max", [t["scale_raw"], c["tiny"]], [t["scale"]], f(f"{a}_RowScale")),
            node("Neg", [t["lo"]], [t["neg_lo"]], f(f"{a}_RowNegLo")),
            node("Div", [t["neg_lo"], t["scale"]], [t["zp_raw"]], f(f"{a}_RowZpRaw")),
            node("Round", [t["zp_raw"]], [t["zp_round"]], f(f"{a}_RowZpRound")),
            node("Clip", [t["zp_round"], c["zero"], c["levels"]], [t["zp_f"]], f(f"{a}_RowZpClip")),
            node("Cast", [t["zp_f"]], [t["zp_i32"]], f(f"{a}_RowZpI32"), to=TensorProto.INT32),
            node("Div", [a, t["scale"]], [t["scaled"]], f(f"{a}_QuantScale")),
            node("Round", [t["scaled"]], [t["rounded"]], f(f"{a}_QuantRound")),
            node("Add", [t["rounded"], t["zp_f"]], [t["shifted"]], f(f"{a}_QuantShift")),
            node("Clip", [t["shifted"], c["zero"], c["levels"]], [t["clipped"]], f(f"{a}_QuantClip")),
            node("Cast", [t["clipped"]], [t["quant"]], f(f"{a}_Quant"), to=TensorProto.UINT8),
        ]
        act_cache[a] = (t["quant"], t["scale"], t["zp_i32"], "")
        return act_cache[a]

    def emit_matmul(self, n, a, w_name, w, transpose, alpha, y, act_cache, out):
        wq, wscale, wzp, colsum = self.quantized_weight(w_name, transpose, w)
        if alpha != 1.0:
            scaled = to_array(next(i for i in self.new_inits if i.name == wscale)) * np.float32(alpha)
            wscale = self.add_init(f"{wscale}_alpha", scaled.astype(np.float32))
        k = w.shape[1] if transpose else w.shape[0]
        aq, ascale, azp, _ = self.quantized_activation(a, k, act_cache, out)
        base = n.name or y
        f = self.namer.fresh
        raw, corr, acc, acc_f, scale = (f(f"{base}_{x}") for x in ("int32_raw", "zp_correction", "int32", "float", "scale"))
        out.append(node("MatMulInteger", [aq, wq, "", wzp], [raw], f(f"{base}_MatMulInteger")))
        out.append(node("Mul", [azp, colsum], [corr], f(f"{base}_ZpCorrection")))
        out.append(node("Sub", [raw, corr], [acc], f(f"{base}_SubZp")))
        out.append(node("Cast", [acc], [acc_f], f(f"{base}_Cast"), to=TensorProto.FLOAT))
        out.append(node("Mul", [ascale, wscale], [scale], f(f"{base}_ScaleMul")))
        out.append(node("Mul", [acc_f, scale], [y], f(f"{base}_Dequant")))


def chain(n: int, kind: str) -> onnx.ModelProto:
    """N blocks on x[b, t, 64]: 'unary' (Neg), 'broadcast' (ReduceMax keepdims, Max, Div by
    the [b, t, 1] column) or 'reshape' (to rows [-1, 64] and back to Shape(x))."""
    nodes, x = [], "x"
    inits = [helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])] if kind == "broadcast" else []
    for i in range(n):
        y = f"y{i}"
        if kind == "unary":
            nodes.append(helper.make_node("Neg", [x], [y]))
        elif kind == "broadcast":
            nodes += [helper.make_node("ReduceMax", [x], [f"r{i}"], axes=[-1], keepdims=1),
                      helper.make_node("Max", [f"r{i}", "one"], [f"s{i}"]), helper.make_node("Div", [x, f"s{i}"], [y])]
        else:
            inits.append(helper.make_tensor(f"rows{i}", TensorProto.INT64, [2], [-1, 64]))
            nodes += [helper.make_node("Shape", [x], [f"shape{i}"]), helper.make_node("Reshape", [x, f"rows{i}"], [f"r{i}"]),
                      helper.make_node("Neg", [f"r{i}"], [f"n{i}"]), helper.make_node("Reshape", [f"n{i}", f"shape{i}"], [y])]
        x = y
    graph = helper.make_graph(nodes, "chain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["b", "t", 64])],
                              [helper.make_tensor_value_info(x, TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    variants = {
        "q8_per_row": quantize_q8_rows(onnx.load(SOURCE), embedding_min_bytes=0),
        "q8_per_tensor": quantize_q8_rows(onnx.load(SOURCE), embedding_min_bytes=0, per_row_activations=False),
        "q8_nbits": quantize_q8(onnx.load(SOURCE), embedding_min_bytes=0),
        "q8_nd_rows": NdRowsRewriter(onnx.load(SOURCE), 0, 0, True).run(),
    }
    for name, model in variants.items():
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(OUT, f"{name}.onnx"))
        print(name, len(model.graph.node), "nodes")
    for kind in ("unary", "broadcast", "reshape"):
        for n in (100, 200, 400):
            onnx.save(chain(n, kind), os.path.join(OUT, f"chain_{kind}_{n}.onnx"))


if __name__ == "__main__":
    main()
