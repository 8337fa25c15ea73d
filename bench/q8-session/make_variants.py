"""Graphs for the q8 session-creation experiment (bench/q8-session/README.md), written to
.cache/q8-session/: the synth ranker's fp32 graph without its named dims, quantized by
tools/common/quantize_q8.py in each form (per row on 2-D rows, per row on the N-D
activation, 8-bit MatMulNBits, per tensor), the per-row forms also with their dims named
(tools/common/symbolic_dims.py, what the ranker ships), and chains of N identical blocks of
the node patterns those graphs are made of, named and not, to see how session creation
grows with N.

    /usr/bin/python3 bench/q8-session/make_variants.py
"""
import os
import sys

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools"))
from common.quantize_q8 import quantize_q8  # noqa: E402
from common.quantize_q8_rows import quantize_q8 as quantize_q8_rows  # noqa: E402
from common.symbolic_dims import name_dims  # noqa: E402

OUT = os.path.join(ROOT, ".cache", "q8-session")
SOURCE = os.path.join(ROOT, "public", "models", "synth-pairrm", "onnx", "model.onnx")


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


def unnamed(path: str) -> onnx.ModelProto:
    """The graph without value_info: the dims as onnxruntime infers them itself."""
    model = onnx.load(path)
    model.graph.ClearField("value_info")
    return model


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    variants = {
        "fp32_unnamed": unnamed(SOURCE),
        "q4_unnamed": unnamed(SOURCE.replace("model.onnx", "model_q4.onnx")),
        "q8_nbits": quantize_q8(unnamed(SOURCE), embedding_min_bytes=0, form="nbits"),
        "q8_per_row": quantize_q8(unnamed(SOURCE), embedding_min_bytes=0, form="rows"),
        "q8_per_row_named": name_dims(quantize_q8(unnamed(SOURCE), embedding_min_bytes=0, form="rows")),
        "q8_nd_rows": quantize_q8(unnamed(SOURCE), embedding_min_bytes=0, form="nd"),
        "q8_nd_rows_named": name_dims(quantize_q8(unnamed(SOURCE), embedding_min_bytes=0, form="nd")),
        "q8_per_tensor": quantize_q8_rows(unnamed(SOURCE), embedding_min_bytes=0, per_row_activations=False),
    }
    for name, model in variants.items():
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(OUT, f"{name}.onnx"))
        print(name, len(model.graph.node), "nodes")
    for kind in ("unary", "broadcast", "reshape"):
        for n in (100, 200, 400):
            onnx.save(chain(n, kind), os.path.join(OUT, f"chain_{kind}_{n}.onnx"))
            onnx.save(name_dims(chain(n, kind)), os.path.join(OUT, f"chain_{kind}_{n}_named.onnx"))


if __name__ == "__main__":
    main()
