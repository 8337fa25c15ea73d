"""Single-op ONNX graphs for bench/ops/time-ops.mjs (bench/NOTES.md, "Relative positions by a
reshape"): the old export's element-wise Gather of c2p scores, HF's GatherElements, the
relative shift that replaced them, one c2p MatMul and one FFN-sized MatMul, at S = 384.

usage: /usr/bin/python3 bench/ops/make_op_graphs.py [OUT_DIR]   (default .cache/op-graphs)
"""
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

S, W, H = 384, 512, 16  # sequence, relative table width, heads
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else ".cache/op-graphs")


def save(name, nodes, inputs, inits=()):
    graph = h.make_graph(nodes, name, inputs, [h.make_tensor_value_info("y", T.FLOAT, None)], list(inits))
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(OUT / f"{name}.onnx"))


def ints(name, values):
    return nh.from_array(np.array(values, np.int64), name)


OUT.mkdir(parents=True, exist_ok=True)
q, k = np.arange(S)[:, None], np.arange(S)[None, :]
rel = np.clip(q - k + W // 2, 0, W - 1)
save("gather", [h.make_node("Gather", ["x", "i"], ["y"], axis=2)],
     [h.make_tensor_value_info("x", T.FLOAT, [1, H, S * W])], [nh.from_array((q * W + rel).reshape(-1).astype(np.int64), "i")])
save("gather-elements", [h.make_node("GatherElements", ["x", "i"], ["y"], axis=3)],
     [h.make_tensor_value_info("x", T.FLOAT, [1, H, S, W])],
     [nh.from_array(np.broadcast_to(rel[None, None], (1, H, S, S)).astype(np.int64).copy(), "i")])
W2 = 2 * S - 1
save("relative-shift", [
    h.make_node("Reshape", ["x", "flat"], ["f"]),
    h.make_node("Slice", ["f", "start", "end", "axis2"], ["g"]),
    h.make_node("Reshape", ["g", "rows"], ["r"]),
    h.make_node("Slice", ["r", "zero", "seq", "axis3"], ["y"]),
], [h.make_tensor_value_info("x", T.FLOAT, [1, H, S, W2])],
    [ints("flat", [1, H, S * W2]), ints("start", [S - 1]), ints("end", [S - 1 + S * (2 * S - 2)]), ints("axis2", [2]),
     ints("rows", [1, H, S, 2 * S - 2]), ints("zero", [0]), ints("seq", [S]), ints("axis3", [3])])
save("c2p-matmul", [h.make_node("MatMul", ["x", "p"], ["y"])],
     [h.make_tensor_value_info("x", T.FLOAT, [1, H, S, 64]), h.make_tensor_value_info("p", T.FLOAT, [1, H, 64, W])])
weight = (np.random.RandomState(0).randn(1024, 4096) / 32).astype(np.float32)
save("ffn-matmul", [h.make_node("MatMul", ["x", "w"], ["y"])],
     [h.make_tensor_value_info("x", T.FLOAT, [S, 1024])], [nh.from_array(weight, "w")])
print(f"wrote {OUT}")
