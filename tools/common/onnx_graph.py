"""Small helpers shared by the graph rewriters (fp16.py, quantize_q8.py, quantize_q4.py):
walking subgraphs, fresh names, constant lookup, and saving with external data when a
model passes protobuf's 2 GB limit.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import numpy as np
import onnx
from onnx import GraphProto, ModelProto, NodeProto, TensorProto, helper, numpy_helper

# protobuf refuses messages >= 2 GiB; keep a margin for the graph itself.
EXTERNAL_DATA_THRESHOLD = 1_900_000_000


def iter_graphs(graph: GraphProto) -> Iterator[GraphProto]:
    """The graph and every subgraph (If/Loop/Scan bodies), depth first, in file order."""
    yield graph
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                yield from iter_graphs(attr.g)
            elif attr.type == onnx.AttributeProto.GRAPHS:
                for sub in attr.graphs:
                    yield from iter_graphs(sub)


def all_value_names(model: ModelProto) -> set[str]:
    names: set[str] = set()
    for graph in iter_graphs(model.graph):
        names.update(i.name for i in graph.input)
        names.update(o.name for o in graph.output)
        names.update(i.name for i in graph.initializer)
        for node in graph.node:
            names.update(node.input)
            names.update(node.output)
            names.add(node.name)
    return names


class Namer:
    """Deterministic fresh names: `base`, `base_1`, ... never colliding with the model."""

    def __init__(self, model: ModelProto):
        self.taken = all_value_names(model)

    def fresh(self, base: str) -> str:
        name, i = base, 0
        while name in self.taken:
            i += 1
            name = f"{base}_{i}"
        self.taken.add(name)
        return name


def initializer_map(model: ModelProto) -> dict[str, TensorProto]:
    """Every initializer of the model and its subgraphs, by name."""
    return {init.name: init for g in iter_graphs(model.graph) for init in g.initializer}


def used_names(model: ModelProto) -> set[str]:
    """Names read by some node (any graph) or exposed as a graph output."""
    used: set[str] = set()
    for graph in iter_graphs(model.graph):
        used.update(o.name for o in graph.output)
        for node in graph.node:
            used.update(n for n in node.input if n)
    return used


def drop_unused_initializers(model: ModelProto) -> None:
    """Deletes initializers nobody reads, in place (no copy of the kept ones: models can
    hold gigabytes)."""
    used = used_names(model)
    for graph in iter_graphs(model.graph):
        for i in range(len(graph.initializer) - 1, -1, -1):
            if graph.initializer[i].name not in used:
                del graph.initializer[i]


def to_array(init: TensorProto) -> np.ndarray:
    return numpy_helper.to_array(init)


def make_init(name: str, array: np.ndarray) -> TensorProto:
    return numpy_helper.from_array(np.ascontiguousarray(array), name)


def add_opset(model: ModelProto, domain: str, version: int) -> None:
    if not any(o.domain == domain for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(domain, version))


def node(op: str, inputs: list[str], outputs: list[str], name: str, domain: str = "", **attrs) -> NodeProto:
    return helper.make_node(op, inputs, outputs, name=name, domain=domain or None, **attrs)


def initializer_bytes(model: ModelProto) -> int:
    total = 0
    for graph in iter_graphs(model.graph):
        for init in graph.initializer:
            total += init.ByteSize()  # no copy of raw_data
    return total


def load_model(path: str | Path) -> ModelProto:
    """Loads a model, external data (X.onnx_data beside it) included."""
    return onnx.load(str(path), load_external_data=True)


def save_model(model: ModelProto, path: str | Path) -> Path:
    """Saves as one file, or with all tensors in `<name>_data` (e.g. model.onnx_data)
    beside it when the initializers pass ~1.9 GB. Deterministic bytes for equal models.
    Removes a stale `<name>_data` left by an earlier, larger save."""
    path = Path(path)
    data_path = path.with_name(path.name + "_data")
    if data_path.exists():
        data_path.unlink()
    if initializer_bytes(model) > EXTERNAL_DATA_THRESHOLD:
        onnx.save_model(
            model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
            location=data_path.name, size_threshold=1024,
        )
    else:
        path.write_bytes(model.SerializeToString())
    return path


def inline_identity_constants(model: ModelProto) -> int:
    """torch.onnx exports a weight used by two modules as Identity(initializer): point the
    readers at the initializer itself (so the quantizers see a constant weight, quantized
    once) and drop the Identity. Returns how many were removed."""
    inits = initializer_map(model)
    outputs = {o.name for g in iter_graphs(model.graph) for o in g.output}
    alias: dict[str, str] = {}
    for graph in iter_graphs(model.graph):
        keep = []
        for n in graph.node:
            src = alias.get(n.input[0], n.input[0]) if n.input else ""
            if n.op_type == "Identity" and src in inits and n.output[0] not in outputs:
                alias[n.output[0]] = src
            else:
                keep.append(n)
        if len(keep) != len(graph.node):
            graph.ClearField("node")
            graph.node.extend(keep)
    for graph in iter_graphs(model.graph):
        for n in graph.node:
            n.input[:] = [alias.get(x, x) for x in n.input]
    return len(alias)


def gemm_attributes(n: NodeProto) -> tuple[float, float, bool, bool]:
    """(alpha, beta, transA, transB) of a Gemm node, with ONNX's defaults."""
    attrs = {a.name: a for a in n.attribute}
    return (
        attrs["alpha"].f if "alpha" in attrs else 1.0,
        attrs["beta"].f if "beta" in attrs else 1.0,
        bool(attrs["transA"].i) if "transA" in attrs else False,
        bool(attrs["transB"].i) if "transB" in attrs else False,
    )


def gemm_bias_nodes(n: NodeProto, mm_out: str, beta: float, const, add_init, namer: Namer) -> list[NodeProto]:
    """Gemm's `+ beta * C` once its matrix product was rewritten into `mm_out`: a constant C
    is scaled ahead of time, a computed one by a Mul. `const(name)` returns an initializer's
    array or None; `add_init(base, array)` adds one and returns its name."""
    y, c_input = n.output[0], n.input[2]
    c, c_name, nodes = const(c_input), c_input, []
    if beta != 1.0 and c is not None:
        c_name = add_init(f"{c_input}_beta", (c * np.float32(beta)).astype(np.float32))
    elif beta != 1.0:
        beta_name = add_init(f"{y}_beta", np.array(beta, np.float32))
        c_name = namer.fresh(f"{y}_beta_c")
        nodes.append(node("Mul", [c_input, beta_name], [c_name], namer.fresh(f"{y}_BetaMul")))
    nodes.append(node("Add", [mm_out, c_name], [y], namer.fresh(f"{n.name or y}_Bias")))
    return nodes



def compact_names(model: ModelProto) -> None:
    """Renames the main graph's intermediate values to t0, t1, ... and its nodes to
    <op>_<index>, in file order. torch.onnx names them after module paths
    ("/model/pretrained_model/encoder/layer.0/attention/self/MatMul_3_output_0"), which
    written twice per value is ~100 KB of a tiny model's file and nothing a runtime reads.
    Graph inputs, outputs and initializers keep their names. Graphs with subgraphs are
    left alone (a subgraph may refer to outer values by name)."""
    graph = model.graph
    if any(attr.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS) for n in graph.node for attr in n.attribute):
        return
    kept = {i.name for i in graph.input} | {o.name for o in graph.output} | {i.name for i in graph.initializer}
    renamed: dict[str, str] = {}
    for index, n in enumerate(graph.node):
        n.name = f"{n.op_type}_{index}"
        for k, out in enumerate(n.output):
            if out and out not in kept:
                renamed[out] = f"t{len(renamed)}"
                n.output[k] = renamed[out]
    for n in graph.node:
        for k, name in enumerate(n.input):
            if name in renamed:
                n.input[k] = renamed[name]
    for info in graph.value_info:
        if info.name in renamed:
            info.name = renamed[info.name]


class InitializerRewriter:
    """What every quantizing rewriter keeps (quantize_q8.py, quantize_q8_rows.py,
    quantize_q4.py): the model with its Identity-of-constant nodes inlined, its initializers
    by name, a namer for new names, the initializers it adds (appended by run()), how many
    nodes of each kind it rewrote, and the Gemm and Gather rules they all follow."""

    def __init__(self, model: ModelProto):
        self.model = model
        inline_identity_constants(model)
        self.inits = initializer_map(model)
        self.namer = Namer(model)
        self.new_inits: list[TensorProto] = []
        self.count = {"matmul": 0, "gemm": 0, "gather": 0}

    def const(self, name: str) -> np.ndarray | None:
        init = self.inits.get(name)
        return None if init is None else to_array(init)

    def add_init(self, base: str, array: np.ndarray) -> str:
        name = self.namer.fresh(base)
        self.new_inits.append(make_init(name, array))
        return name

    def rewrite_gemm(self, n: NodeProto, out: list[NodeProto], eligible, emit) -> bool:
        """A Gemm (transA = 0) whose constant weight `eligible(w, trans_b)` accepts:
        `emit(w, trans_b, alpha, y)` writes the matrix product into y, then `+ beta * C`."""
        alpha, beta, trans_a, trans_b = gemm_attributes(n)
        w = self.const(n.input[1])
        if trans_a or not eligible(w, trans_b):
            return False
        has_c = len(n.input) > 2 and n.input[2] != ""
        y = n.output[0]
        mm_out = self.namer.fresh(f"{y}_matmul") if has_c else y
        emit(w, trans_b, alpha, mm_out)
        if has_c:
            out += gemm_bias_nodes(n, mm_out, beta, self.const, self.add_init, self.namer)
        self.count["gemm"] += 1
        return True

    def embedding_table(self, n: NodeProto, min_bytes: int) -> np.ndarray | None:
        """The table of a Gather on axis 0 of a constant 2-D float32 table of at least
        `min_bytes`, else None."""
        axis = next((a.i for a in n.attribute if a.name == "axis"), 0)
        table = self.const(n.input[0])
        if axis != 0 or table is None or table.ndim != 2 or table.dtype != np.float32 or table.nbytes < min_bytes:
            return None
        return table


def block_weight_eligible(w: np.ndarray | None, transpose: bool, min_k: int, min_n: int) -> bool:
    """A constant 2-D float32 MatMul weight (W[K, N], or W[N, K] when `transpose`) at least
    min_k deep and min_n wide: what the MatMulNBits forms (q4, q8 nbits) rewrite."""
    if w is None or w.ndim != 2 or w.dtype != np.float32:
        return False
    k, n = (w.shape[1], w.shape[0]) if transpose else w.shape
    return k >= min_k and n >= min_n
