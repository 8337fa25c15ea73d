"""fp16 conversion (the `_fp16` variant): float16 weights and float16 compute, with the
numerically fragile parts kept in float32.

Which values become float16 ("activation" taint): a float value is converted when it
depends on a float graph input or on a float weight (initializer / Constant with more
than one element). Float math that depends only on integers and scalars — DeBERTa's and
T5's log-bucketed relative positions, mask arithmetic, sqrt(head_dim) — stays float32,
so integer results derived from it (bucket indices) are exactly those of the fp32 model.

Nodes kept in float32 even on activations (inputs Cast up, outputs Cast back down):
LayerNormalization, Reduce*, Pow, Sqrt, Reciprocal, Softmax, LogSoftmax, Exp, Log,
CumSum, plus any op type / node name the caller lists (e.g. T5's `wo` feed-forward output
projection, which overflows fp16 in the big Flan-T5 checkpoints). Cheap elementwise ops
fed only by such float32 nodes stay float32 too (T5's RMS norm: Pow, ReduceMean, + eps,
Sqrt all in float32).

Constants fed to float16 nodes are clamped to the fp16 range (DeBERTa's and T5's mask fill
value float32.min becomes -65504, not -inf); dynamic float32 values that are not
activations (e.g. a mask built from attention_mask) are Clip-ped to +-65504 before their
Cast to float16 for the same reason.

Graph inputs and outputs keep their names and float32 dtypes: inputs are Cast to float16
where float16 nodes read them, outputs are Cast back to float32. Subgraph (If branch)
outputs keep their declared dtypes the same way.
"""
from __future__ import annotations

import re
from typing import Iterable

import numpy as np
import onnx
from onnx import GraphProto, ModelProto, NodeProto, TensorProto, helper, numpy_helper

from common.onnx_graph import Namer, iter_graphs, node

FP16_MAX = 65504.0
DEFAULT_KEEP_FP32_OPS = frozenset({
    "LayerNormalization", "ReduceMean", "ReduceSum", "ReduceSumSquare", "ReduceL2", "ReduceL1",
    "ReduceLogSumExp", "ReduceProd", "Pow", "Sqrt", "Reciprocal", "Softmax", "LogSoftmax",
    "Exp", "Log", "CumSum", "Range",
})
# Cheap elementwise ops that stay float32 when every activation they read comes from a
# float32 node: keeps e.g. T5's `variance + eps` (between ReduceMean and Sqrt) in float32,
# where an fp16 round trip would overflow for hidden states with RMS > 256.
_FOLLOW_FP32_OPS = frozenset({"Add", "Sub", "Mul", "Div", "Neg", "Abs", "Max", "Min", "Clip"})
# Inputs that ONNX requires to stay float32 whatever the data type (e.g. Resize's scales).
_FLOAT32_ONLY_INPUTS = {"Resize": {1, 2}, "Upsample": {1}}
FLOAT, FLOAT16 = TensorProto.FLOAT, TensorProto.FLOAT16


def _key(n: NodeProto) -> tuple[str, ...]:
    return tuple(n.output)


def _clamp_fp16(array: np.ndarray) -> np.ndarray:
    return np.clip(array, -FP16_MAX, FP16_MAX).astype(np.float16)


def _subgraphs(n: NodeProto) -> list[GraphProto]:
    out: list[GraphProto] = []
    for attr in n.attribute:
        if attr.type == onnx.AttributeProto.GRAPH:
            out.append(attr.g)
        elif attr.type == onnx.AttributeProto.GRAPHS:
            out.extend(attr.graphs)
    return out


def _implicit_inputs(n: NodeProto) -> set[str]:
    """Names a node reads, including outer-scope names read inside its subgraphs."""
    names = {x for x in n.input if x}
    for sub in _subgraphs(n):
        local = {i.name for i in sub.input} | {i.name for i in sub.initializer}
        for inner in sub.node:
            names.update(x for x in _implicit_inputs(inner) if x not in local)
            local.update(inner.output)
    return names


def _value_types(model: ModelProto) -> dict[str, int]:
    """Element type of every value, from ONNX shape inference run on a light copy whose
    large initializers are typed graph inputs (no weight bytes copied; works past 2 GB)."""
    inferred = onnx.shape_inference.infer_shapes(_light_copy(model))
    types: dict[str, int] = {}
    for graph in iter_graphs(inferred.graph):
        for vi in list(graph.input) + list(graph.output) + list(graph.value_info):
            if vi.type.HasField("tensor_type") and vi.type.tensor_type.elem_type:
                types[vi.name] = vi.type.tensor_type.elem_type
        for init in graph.initializer:
            types[init.name] = init.data_type
        for n in graph.node:
            if n.op_type == "Constant":
                for attr in n.attribute:
                    if attr.name == "value":
                        types[n.output[0]] = attr.t.data_type
    for init in model.graph.initializer:
        types[init.name] = init.data_type
    return types


def _light_copy(model: ModelProto) -> ModelProto:
    """The model with every main-graph initializer of > 64 elements turned into a typed
    graph input (shape inference only needs small constants' values, e.g. Reshape shapes)."""
    light = ModelProto()
    light.ir_version = model.ir_version
    light.opset_import.extend(model.opset_import)
    src, dst = model.graph, light.graph
    dst.name = src.name
    dst.node.extend(src.node)
    dst.input.extend(src.input)
    dst.output.extend(src.output)
    declared = {i.name for i in src.input}
    for init in src.initializer:
        if np.prod(init.dims, dtype=np.int64) > 64:
            if init.name not in declared:
                dst.input.append(helper.make_tensor_value_info(init.name, init.data_type, list(init.dims)))
        else:
            dst.initializer.append(init)
    return light


class _Fp16Converter:
    def __init__(self, model: ModelProto, keep_ops: frozenset[str], keep_node_patterns: list[re.Pattern]):
        self.model = model
        self.keep_ops = keep_ops
        self.keep_node_patterns = keep_node_patterns
        self.types = _value_types(model)
        self.namer = Namer(model)
        self.inits = {i.name: i for g in iter_graphs(model.graph) for i in g.initializer}
        self.tainted: set[str] = set()
        # nodes computing in float16, keyed by their output names (protobuf wrappers have no stable id())
        self.fp16_nodes: set[tuple[str, ...]] = set()

    # -- analysis ---------------------------------------------------------------------
    def is_float(self, name: str) -> bool:
        return self.types.get(name) == FLOAT

    def taint(self, graph: GraphProto) -> None:
        for i in graph.input:
            if self.is_float(i.name) and graph is self.model.graph:
                self.tainted.add(i.name)
        for init in graph.initializer:
            if init.data_type == FLOAT and np.prod(init.dims, dtype=np.int64) > 1:
                self.tainted.add(init.name)
        for n in graph.node:
            for sub in _subgraphs(n):
                self.taint(sub)
            hot = any(x in self.tainted for x in _implicit_inputs(n))
            hot = hot or any(o.name in self.tainted for sub in _subgraphs(n) for o in sub.output)
            if n.op_type == "Constant":
                value = next((a.t for a in n.attribute if a.name == "value"), None)
                hot = value is not None and value.data_type == FLOAT and np.prod(value.dims, dtype=np.int64) > 1
            if hot:
                self.tainted.update(o for o in n.output if o)

    def wants_fp16(self, n: NodeProto) -> bool:
        if n.op_type in self.keep_ops or n.domain not in ("", "ai.onnx") or _subgraphs(n):
            return False
        if n.op_type == "Constant":
            return False  # decided from its consumers in `convert_constants`
        if any(p.search(n.name) for p in self.keep_node_patterns):
            return False
        floats = [x for x in list(n.input) + list(n.output) if x and self.is_float(x)]
        return any(x in self.tainted for x in floats)

    # -- rewriting --------------------------------------------------------------------
    def run(self) -> ModelProto:
        self.taint(self.model.graph)
        for graph in iter_graphs(self.model.graph):
            for n in graph.node:
                if self.wants_fp16(n):
                    self.fp16_nodes.add(_key(n))
        self.follow_fp32()
        needs16 = self.consumer_needs()
        self.convert_constants(needs16)
        # dtype each float value actually has after conversion
        self.actual: dict[str, int] = {}
        for name, t in self.types.items():
            if t == FLOAT:
                self.actual[name] = FLOAT
        for init in self.inits.values():
            if init.data_type == FLOAT16 and self.types.get(init.name) == FLOAT:
                self.actual[init.name] = FLOAT16
        self.rewrite_graph(self.model.graph, outer_casts={})
        for graph in iter_graphs(self.model.graph):
            graph.ClearField("value_info")
        return self.model

    def follow_fp32(self) -> None:
        """Unmark fp16 elementwise nodes whose activation inputs all come from float32
        nodes (in node order, so chains of them stay float32 too)."""
        for graph in iter_graphs(self.model.graph):
            fp32_made: set[str] = set()
            for n in graph.node:
                key = _key(n)
                if key in self.fp16_nodes and n.op_type in _FOLLOW_FP32_OPS:
                    hot = [x for x in n.input if x in self.tainted and self.is_float(x)]
                    if hot and all(x in fp32_made for x in hot):
                        self.fp16_nodes.discard(key)
                if key not in self.fp16_nodes and n.op_type != "Constant":
                    fp32_made.update(o for o in n.output if o in self.tainted and self.is_float(o))

    def consumer_needs(self) -> dict[str, set[int]]:
        """For each name, the float dtypes its consumers want (FLOAT16 for fp16 nodes)."""
        needs: dict[str, set[int]] = {}
        for graph in iter_graphs(self.model.graph):
            for n in graph.node:
                want = FLOAT16 if _key(n) in self.fp16_nodes else FLOAT
                for idx, x in enumerate(n.input):
                    if x and want == FLOAT16 and idx in _FLOAT32_ONLY_INPUTS.get(n.op_type, ()):
                        needs.setdefault(x, set()).add(FLOAT)
                    elif x:
                        needs.setdefault(x, set()).add(want)
        return needs

    def convert_constants(self, needs: dict[str, set[int]]) -> None:
        """Initializers and Constant nodes read by fp16 nodes are stored as fp16 (clamped);
        fp32 readers of the same constant get a Cast up in `rewrite_graph`."""
        for name, init in self.inits.items():
            if init.data_type == FLOAT and FLOAT16 in needs.get(name, ()):
                array = numpy_helper.to_array(init)
                init.CopyFrom(numpy_helper.from_array(_clamp_fp16(array), name))
        for graph in iter_graphs(self.model.graph):
            for n in graph.node:
                if n.op_type == "Constant" and FLOAT16 in needs.get(n.output[0], ()) and self.is_float(n.output[0]):
                    for attr in n.attribute:
                        if attr.name == "value" and attr.t.data_type == FLOAT:
                            attr.t.CopyFrom(numpy_helper.from_array(_clamp_fp16(numpy_helper.to_array(attr.t)), attr.t.name))
                    self.fp16_nodes.add(_key(n))

    def cast(self, graph_nodes: list[NodeProto], casts: dict, name: str, to: int) -> str:
        key = (name, to)
        if key in casts:
            return casts[key]
        out = self.namer.fresh(f"{name}_{'fp16' if to == FLOAT16 else 'fp32'}")
        src = name
        if to == FLOAT16 and name not in self.tainted:
            # non-activation float32 (e.g. a mask of float32.min): saturate, never -inf
            clipped = self.namer.fresh(f"{name}_clipped")
            lo, hi = self.fp32_scalar(-FP16_MAX), self.fp32_scalar(FP16_MAX)
            graph_nodes.append(node("Clip", [name, lo, hi], [clipped], self.namer.fresh(f"{name}_ClipFp16")))
            src = clipped
        graph_nodes.append(node("Cast", [src], [out], self.namer.fresh(f"{name}_CastTo{'Fp16' if to == FLOAT16 else 'Fp32'}"), to=to))
        casts[key] = out
        self.actual[out] = to
        return out

    def fp32_scalar(self, value: float) -> str:
        name = f"fp16_limit_{'neg' if value < 0 else 'pos'}"
        if name not in self.inits:
            self.namer.taken.add(name)
            init = numpy_helper.from_array(np.array(value, np.float32), name)
            self.model.graph.initializer.append(init)
            self.inits[name] = self.model.graph.initializer[-1]
        return name

    def rewrite_graph(self, graph: GraphProto, outer_casts: dict) -> None:
        casts = dict(outer_casts)  # casts made in an outer graph are visible here
        out: list[NodeProto] = []
        for n in graph.node:
            is16 = _key(n) in self.fp16_nodes
            for idx, x in enumerate(n.input):
                if not x or self.actual.get(x) not in (FLOAT, FLOAT16):
                    continue
                want = FLOAT16 if is16 and idx not in _FLOAT32_ONLY_INPUTS.get(n.op_type, ()) else FLOAT
                if self.actual[x] != want:
                    n.input[idx] = self.cast(out, casts, x, want)
            for sub in _subgraphs(n):
                self.keep_subgraph_inputs(sub)
                self.rewrite_graph(sub, casts)
            if is16:
                for o in n.output:
                    if o and self.actual.get(o) == FLOAT:
                        self.actual[o] = FLOAT16
                for attr in n.attribute:
                    if n.op_type == "Cast" and attr.name == "to" and attr.i == FLOAT:
                        attr.i = FLOAT16
                    if n.op_type == "ConstantOfShape" and attr.name == "value" and attr.t.data_type == FLOAT:
                        attr.t.CopyFrom(numpy_helper.from_array(_clamp_fp16(numpy_helper.to_array(attr.t)), attr.t.name))
            out.append(n)
        # graph outputs keep their declared float32 dtype
        for o in graph.output:
            if o.type.tensor_type.elem_type == FLOAT and self.actual.get(o.name) == FLOAT16:
                produced = self.namer.fresh(f"{o.name}_fp16")
                for n in out:
                    n.output[:] = [produced if y == o.name else y for y in n.output]
                    n.input[:] = [produced if y == o.name else y for y in n.input]
                self.actual[produced] = FLOAT16
                out.append(node("Cast", [produced], [o.name], self.namer.fresh(f"{o.name}_CastToFp32"), to=FLOAT))
                self.actual[o.name] = FLOAT
        graph.ClearField("node")
        graph.node.extend(out)

    def keep_subgraph_inputs(self, sub: GraphProto) -> None:
        """Subgraph formal inputs (Loop/Scan) keep their declared dtype."""
        for i in sub.input:
            if i.type.tensor_type.elem_type == FLOAT:
                self.actual[i.name] = FLOAT


def convert_fp16(
    model: ModelProto,
    keep_fp32_ops: Iterable[str] = (),
    keep_fp32_nodes: Iterable[str] = (),
    default_keep_ops: Iterable[str] = DEFAULT_KEEP_FP32_OPS,
) -> ModelProto:
    """Rewrites `model` in place (and returns it) to compute in float16.
    keep_fp32_ops: extra op types kept in float32; keep_fp32_nodes: regexes searched in
    node names (e.g. r"DenseReluDense/wo/" for T5) whose nodes stay float32."""
    keep_ops = frozenset(default_keep_ops) | frozenset(keep_fp32_ops)
    patterns = [re.compile(p) for p in keep_fp32_nodes]
    return _Fp16Converter(model, keep_ops, patterns).run()
