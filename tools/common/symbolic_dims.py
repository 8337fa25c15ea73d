"""Names the dimensions of every value in a graph (its value_info), symbolically.

Why: onnxruntime's allocation planner lets a value reuse a freed buffer only when both
shapes are provably equal: the same dim_value, or the same non-empty dim_param. Its own
shape inference leaves most dims of an exported transformer unnamed (every Reshape whose
shape is computed at run time from Shape/Gather/Concat, and everything downstream), so
those buffers never match, pile up in the planner's free list, and every later value scans
that whole list: session creation grows with the square of the node count. The q8 ranker
at 24 layers spent 8 of its 11 s there (bench/q8-session/README.md). With every dim named,
the list stays short and the planner takes a fraction of a second.

How: one pass in topological order over the top-level graph, with sympy expressions for
dims (graph input dims are positive integer symbols: `batch_size`, `sequence_length`) and
for the values of small integer tensors (what Shape, Gather, Concat, Slice ... compute for
Reshape, Expand, ConstantOfShape and Range). A dim is written as `str(expression)`, so two
dims share a name only when their expressions are identical, which makes them equal for
every input. What the pass cannot derive (data-dependent sizes such as the marker count,
ops it does not know, subgraph outputs) gets a fresh symbol of its own, or no value_info
at all: never a name that could equal another dim by mistake. `verify_dims` checks the
claim at run time: every annotated value's real shape equals its expressions evaluated at
the feeds' sizes.

CLI: /usr/bin/python3 tools/common/symbolic_dims.py model.onnx [...]   (annotates in place)
     /usr/bin/python3 tools/common/symbolic_dims.py --verify model.onnx [...]
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import sympy
from onnx import ModelProto, NodeProto, TensorProto, helper, mapping, numpy_helper

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

Dim = sympy.Expr
Shape = list  # list[Dim]

# An integer tensor this small may be shape arithmetic: track its values.
MAX_TRACKED_VALUES = 64
# Slice's "to the end" sentinels (torch writes INT64_MAX, some exporters INT32_MAX).
SLICE_END_SENTINEL = 2**31 - 1

_INTEGER_TYPES = {TensorProto.INT64, TensorProto.INT32, TensorProto.INT16, TensorProto.INT8,
                  TensorProto.UINT64, TensorProto.UINT32, TensorProto.UINT16, TensorProto.UINT8}
_SAME_SHAPE = {"Cast", "Neg", "Round", "Erf", "Tanh", "Sqrt", "Relu", "Sigmoid", "Exp", "Log", "Abs",
               "Floor", "Ceil", "Reciprocal", "Not", "Identity", "Softmax", "LogSoftmax", "Sign",
               "IsNaN", "IsInf", "CumSum", "Clip", "LayerNormalization", "Dropout", "Gelu",
               "DequantizeLinear", "QuantizeLinear", "HardSigmoid", "LeakyRelu", "Elu", "Softplus"}
_BROADCAST = {"Add", "Sub", "Mul", "Div", "Pow", "Min", "Max", "Equal", "Less", "Greater", "LessOrEqual",
              "GreaterOrEqual", "And", "Or", "Xor", "Where", "Mod", "Sum", "Mean", "PRelu", "BitShift"}
_COMPARISONS = {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Not",
                "IsNaN", "IsInf"}
_REDUCE = {"ReduceMean", "ReduceMin", "ReduceMax", "ReduceSum", "ReduceProd", "ReduceL1", "ReduceL2",
           "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"}


def _attr(node: NodeProto, name: str, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def _is_number(e) -> bool:
    return isinstance(e, (int, sympy.Integer)) or (isinstance(e, sympy.Expr) and e.is_Integer)


class _Pass:
    def __init__(self, model: ModelProto, may_be_zero: Sequence[str]):
        self.may_be_zero = set(may_be_zero)
        self.graph = model.graph
        self.shape: dict[str, Shape | None] = {}
        self.value: dict[str, list[Dim]] = {}
        self.elem: dict[str, int] = {}
        self.fresh_count = 0
        self.symbols: dict[str, sympy.Symbol] = {}

    # -- dims ---------------------------------------------------------------------------
    def symbol(self, name: str) -> sympy.Symbol:
        if name not in self.symbols:
            # Simplifications lean on this (s - max(0, s - 1) is 1 only when s >= 1), so a
            # dim that can be 0 (a decoder's empty past) must be declared so.
            sign = {"nonnegative": True} if name in self.may_be_zero else {"positive": True}
            self.symbols[name] = sympy.Symbol(name, integer=True, **sign)
        return self.symbols[name]

    def fresh(self) -> sympy.Symbol:
        """A dim nothing else can equal: its own symbol."""
        self.fresh_count += 1
        name = f"unk__{self.fresh_count}"
        while name in self.symbols:
            self.fresh_count += 1
            name = f"unk__{self.fresh_count}"
        self.symbols[name] = sympy.Symbol(name, integer=True, nonnegative=True)
        return self.symbols[name]

    def dims_of_proto(self, type_proto) -> Shape | None:
        t = type_proto.tensor_type
        if not t.HasField("shape"):
            return None
        return [sympy.Integer(d.dim_value) if d.HasField("dim_value")
                else self.symbol(d.dim_param) if d.dim_param else self.fresh() for d in t.shape.dim]

    def exact(self, e) -> Dim:
        """`e` when it is a plain integer expression of the symbols (no leftover division), else fresh."""
        e = sympy.cancel(sympy.sympify(e))
        if sympy.fraction(e)[1] != 1 or not e.is_integer:
            return self.fresh()
        return sympy.expand(e)

    # -- the walk -----------------------------------------------------------------------
    def run(self) -> None:
        g = self.graph
        for vi in g.input:
            self.shape[vi.name] = self.dims_of_proto(vi.type)
            self.elem[vi.name] = vi.type.tensor_type.elem_type
        for init in g.initializer:
            self.set_constant(init.name, init)
        for n in g.node:
            shapes = self.infer(n)
            for i, out in enumerate(n.output):
                if not out:
                    continue
                self.shape[out] = shapes[i] if shapes is not None and i < len(shapes) else None
                self.elem.setdefault(out, self.output_type(n, i))

    def set_constant(self, name: str, tensor: TensorProto) -> None:
        self.shape[name] = [sympy.Integer(d) for d in tensor.dims]
        self.elem[name] = tensor.data_type
        if tensor.data_type in _INTEGER_TYPES and len(tensor.dims) <= 1 and int(np.prod(tensor.dims)) <= MAX_TRACKED_VALUES:
            self.value[name] = [sympy.Integer(int(v)) for v in numpy_helper.to_array(tensor).reshape(-1)]

    def output_type(self, n: NodeProto, i: int) -> int:
        """Output `i`'s element type, 0 when unknown (such values get no value_info)."""
        op, first = n.op_type, self.elem.get(n.input[0], 0) if n.input and n.input[0] else 0
        if n.domain not in ("", "ai.onnx"):
            return first if (n.domain, op) == ("com.microsoft", "MatMulNBits") else 0
        if op == "Cast":
            return _attr(n, "to")
        if op in ("Shape", "Size", "ArgMax", "ArgMin", "NonZero"):
            return TensorProto.INT64
        if op in _COMPARISONS:
            return TensorProto.BOOL
        if op == "MatMulInteger":
            return TensorProto.INT32
        if op == "ConstantOfShape":
            value = _attr(n, "value")
            return value.data_type if value is not None else TensorProto.FLOAT
        if op == "Where":
            return self.elem.get(n.input[1], 0)
        if op in ("DynamicQuantizeLinear", "QuantizeLinear", "DequantizeLinear", "If", "Loop", "Scan"):
            return 0
        return first

    def values_of(self, name: str) -> list[Dim] | None:
        """The entries of a small integer tensor: known expressions, or else one opaque symbol
        per entry ("whatever this element holds at run time"), so that what is computed from
        the same element gets the same name."""
        if not name:
            return None
        if name not in self.value:
            shape = self.shape.get(name)
            if shape is None or self.elem.get(name) not in _INTEGER_TYPES or len(shape) > 1 \
                    or not all(_is_number(d) for d in shape) or int(sympy.Mul(*shape)) > MAX_TRACKED_VALUES:
                return None
            self.value[name] = [self.opaque() for _ in range(int(sympy.Mul(*shape)))]
        return self.value[name]

    def opaque(self) -> sympy.Symbol:
        self.fresh_count += 1
        return sympy.Symbol(f"value__{self.fresh_count}", integer=True)

    def const_ints(self, name: str) -> list[int] | None:
        v = self.values_of(name)
        if v is None or not all(_is_number(x) for x in v):
            return None
        return [int(x) for x in v]

    def infer(self, n: NodeProto) -> list[Shape | None] | None:
        op = n.op_type
        ins = [self.shape.get(i) if i else None for i in n.input]
        if n.domain not in ("", "ai.onnx"):
            if n.domain == "com.microsoft" and op == "MatMulNBits" and ins[0] is not None:
                return [ins[0][:-1] + [sympy.Integer(_attr(n, "N"))]]
            return None
        handler: Callable | None = getattr(self, f"op_{op}", None)
        if handler is not None:
            return handler(n, ins)
        if op in _SAME_SHAPE:
            if op == "Cast":
                self.pass_values(n, lambda x: x)
            elif op in ("Neg", "Identity", "Abs", "Floor", "Ceil"):
                fn = {"Neg": lambda x: -x, "Identity": lambda x: x, "Abs": sympy.Abs,
                      "Floor": sympy.floor, "Ceil": sympy.ceiling}[op]
                self.pass_values(n, fn)
            return [ins[0]]
        if op in _BROADCAST:
            self.broadcast_values(n)
            shapes = [s for s in ins if s is not None]
            if len(shapes) != len([i for i in n.input if i]):
                return None
            return [self.broadcast(shapes)]
        if op in _REDUCE:
            return [self.reduced(n, ins[0])]
        return None

    # -- value propagation --------------------------------------------------------------
    def pass_values(self, n: NodeProto, fn) -> None:
        v = self.values_of(n.input[0])
        if v is not None:
            self.value[n.output[0]] = [sympy.sympify(fn(x)) for x in v]

    def broadcast_values(self, n: NodeProto) -> None:
        vals = [self.values_of(i) for i in n.input]
        if any(v is None for v in vals):
            return
        size = max(len(v) for v in vals)
        if any(len(v) not in (1, size) for v in vals):
            return
        cols = [[v[i if len(v) > 1 else 0] for v in vals] for i in range(size)]
        op = n.op_type
        integer = self.elem.get(n.input[0]) in _INTEGER_TYPES
        out = []
        for args in cols:
            r = self.binary_value(op, args, integer)
            if r is None:
                return
            out.append(r)
        self.value[n.output[0]] = out

    @staticmethod
    def binary_value(op: str, args: list, integer: bool):
        if op == "Add":
            return args[0] + args[1]
        if op == "Sub":
            return args[0] - args[1]
        if op == "Mul":
            return args[0] * args[1]
        if op == "Div":
            a, b = args
            if _is_number(a) and _is_number(b) and integer and b != 0:
                return sympy.Integer(int(int(a) / int(b)))  # ONNX integer Div truncates
            q = sympy.cancel(a / b)
            return q if integer and sympy.fraction(q)[1] == 1 else None
        if op in ("Min", "Max"):
            return (sympy.Min if op == "Min" else sympy.Max)(*args)
        if op == "Equal":
            eq = sympy.Eq(args[0], args[1])
            return sympy.Integer(1) if eq is sympy.true else sympy.Integer(0) if eq is sympy.false else None
        if op == "Where":
            c = args[0]
            if not _is_number(c):
                return None
            return args[1] if int(c) else args[2]
        return None

    # -- shape rules --------------------------------------------------------------------
    def broadcast(self, shapes: Sequence[Shape]) -> Shape:
        rank = max(len(s) for s in shapes)
        out = []
        for k in range(rank):
            dims = [s[len(s) - rank + k] for s in shapes if len(s) - rank + k >= 0]
            not_one = []
            for d in dims:
                if d == 1 or any(d == e for e in not_one):
                    continue
                not_one.append(d)
            if not not_one:
                out.append(sympy.Integer(1))
            elif len(not_one) == 1:
                out.append(not_one[0])
            else:
                numbers = [d for d in not_one if _is_number(d)]
                # A number other than 1 fixes the dim (the others must equal it or be 1);
                # two different symbols could each be 1: unknown.
                out.append(numbers[0] if numbers else self.fresh())
        return out

    def op_Constant(self, n, ins):
        value = _attr(n, "value")
        if value is None:
            ints = _attr(n, "value_ints", _attr(n, "value_int"))
            if ints is None:
                return None
            value = numpy_helper.from_array(np.array(ints, np.int64))
        self.set_constant(n.output[0], value)
        return [self.shape[n.output[0]]]

    def op_Shape(self, n, ins):
        x = ins[0]
        if x is None:
            return [[self.fresh()]]
        start, end = _attr(n, "start", 0), _attr(n, "end", None)
        dims = x[start:end]
        self.value[n.output[0]] = list(dims)
        return [[sympy.Integer(len(dims))]]

    def op_Size(self, n, ins):
        if ins[0] is not None:
            self.value[n.output[0]] = [sympy.expand(sympy.Mul(*ins[0]))]
        return [[]]

    def op_Gather(self, n, ins):
        data, idx = ins[0], ins[1]
        if data is None or idx is None:
            return None
        axis = _attr(n, "axis", 0) % len(data)
        values, picks = self.values_of(n.input[0]), self.const_ints(n.input[1])
        if values is not None and picks is not None and len(data) == 1:
            picked = [values[p % len(values)] for p in picks]
            self.value[n.output[0]] = picked
        return [data[:axis] + idx + data[axis + 1:]]

    def op_GatherElements(self, n, ins):
        return [ins[1]]

    def axes(self, n: NodeProto, index: int) -> list[int] | None:
        """An axes list given as an attribute (older opsets) or as input `index`."""
        attr = _attr(n, "axes")
        if attr is not None:
            return list(attr)
        if len(n.input) > index and n.input[index]:
            return self.const_ints(n.input[index])
        return []

    def op_Unsqueeze(self, n, ins):
        x, axes = ins[0], self.axes(n, 1)
        if x is None or axes is None:
            return None
        rank = len(x) + len(axes)
        axes = sorted(a % rank for a in axes)
        out, it = [], iter(x)
        for k in range(rank):
            out.append(sympy.Integer(1) if k in axes else next(it))
        self.pass_values(n, lambda v: v)
        return [out]

    def op_Squeeze(self, n, ins):
        x, axes = ins[0], self.axes(n, 1)
        if x is None or axes is None:
            return None
        if not axes:
            if not all(_is_number(d) for d in x):
                return None
            axes = [k for k, d in enumerate(x) if d == 1]
        axes = [a % len(x) for a in axes]
        self.pass_values(n, lambda v: v)
        return [[d for k, d in enumerate(x) if k not in axes]]

    def op_Concat(self, n, ins):
        if any(s is None for s in ins):
            return None
        axis = _attr(n, "axis") % len(ins[0])
        vals = [self.values_of(i) for i in n.input]
        if all(v is not None for v in vals):
            self.value[n.output[0]] = [x for v in vals for x in v]
        out = list(ins[0])
        out[axis] = sympy.expand(sympy.Add(*[s[axis] for s in ins]))
        return [out]

    def op_Reshape(self, n, ins):
        x, target = ins[0], self.values_of(n.input[1])
        if target is None:
            return None
        allowzero = _attr(n, "allowzero", 0)
        out = []
        for k, d in enumerate(target):
            if not (_is_number(d) or d.is_positive or (d.is_nonnegative and (allowzero or (x and k < len(x) and x[k] == d)))):
                out.append(self.fresh())  # could be 0 (copy a dim) or -1 (infer) at run time
            elif d == 0 and not allowzero:
                if x is None or k >= len(x):
                    return None
                out.append(x[k])
            else:
                out.append(d)
        if any(d == -1 for d in out):
            k = next(i for i, d in enumerate(out) if d == -1)
            rest = sympy.Mul(*[d for i, d in enumerate(out) if i != k])
            out[k] = self.exact(sympy.Mul(*x) / rest) if x is not None else self.fresh()
        self.pass_values(n, lambda v: v)
        return [out]

    def op_Transpose(self, n, ins):
        x = ins[0]
        if x is None:
            return None
        perm = _attr(n, "perm") or list(reversed(range(len(x))))
        return [[x[p] for p in perm]]

    def op_MatMul(self, n, ins):
        a, b = ins[0], ins[1]
        if a is None or b is None:
            return None
        a1, b1 = len(a) == 1, len(b) == 1
        a2 = [sympy.Integer(1)] + a if a1 else a
        b2 = b + [sympy.Integer(1)] if b1 else b
        batch = self.broadcast([a2[:-2], b2[:-2]]) if (a2[:-2] or b2[:-2]) else []
        out = batch + [a2[-2], b2[-1]]
        if a1:
            out.pop(-2)
        if b1:
            out.pop(-1)
        return [out]

    op_MatMulInteger = op_MatMul

    def op_Gemm(self, n, ins):
        a, b = ins[0], ins[1]
        if a is None or b is None:
            return None
        m = a[1] if _attr(n, "transA", 0) else a[0]
        cols = b[0] if _attr(n, "transB", 0) else b[1]
        return [[m, cols]]

    def reduced(self, n: NodeProto, x: Shape | None) -> Shape | None:
        if x is None:
            return None
        axes = self.axes(n, 1)
        if axes is None:
            return None
        if not axes:
            if _attr(n, "noop_with_empty_axes", 0):
                return x
            axes = list(range(len(x)))
        axes = [a % len(x) for a in axes]
        keep = _attr(n, "keepdims", 1)
        return [sympy.Integer(1) if k in axes else d for k, d in enumerate(x) if keep or k not in axes]

    def op_ArgMax(self, n, ins):
        x = ins[0]
        if x is None:
            return None
        axis = _attr(n, "axis", 0) % len(x)
        keep = _attr(n, "keepdims", 1)
        return [[sympy.Integer(1) if k == axis else d for k, d in enumerate(x) if keep or k != axis]]

    op_ArgMin = op_ArgMax

    def op_Slice(self, n, ins):
        x = ins[0]
        starts, ends = self.values_of(n.input[1]), self.values_of(n.input[2])
        if x is None or starts is None or ends is None:
            return None
        axes = self.const_ints(n.input[3]) if len(n.input) > 3 and n.input[3] else list(range(len(starts)))
        steps = self.const_ints(n.input[4]) if len(n.input) > 4 and n.input[4] else [1] * len(starts)
        if axes is None or steps is None:  # the rank stays, the sliced dims are unknown
            return [[self.fresh() for _ in x]]
        out = list(x)
        for start, end, axis, step in zip(starts, ends, axes, steps):
            axis %= len(x)
            out[axis] = self.slice_length(x[axis], start, end, step)
        v = self.values_of(n.input[0])
        if v is not None and len(x) == 1 and all(_is_number(e) for e in (starts[0], ends[0])):
            self.value[n.output[0]] = v[int(starts[0]):int(ends[0]):steps[0]]
        return [out]

    def slice_length(self, dim: Dim, start: Dim, end: Dim, step: int) -> Dim:
        if _is_number(dim) and _is_number(start) and _is_number(end):
            return sympy.Integer(len(range(int(dim))[slice(int(start), int(end), step)]))
        if step == -1 and start == -1 and _is_number(end) and int(end) <= -SLICE_END_SENTINEL:
            return dim  # the whole axis, reversed
        if step != 1:
            return self.fresh()

        def clamp(v: Dim) -> Dim:
            if _is_number(v):
                v = int(v)
                if v >= SLICE_END_SENTINEL:
                    return dim
                return sympy.Max(0, dim + v) if v < 0 else sympy.Min(v, dim)
            return sympy.Min(v, dim) if v.is_nonnegative else None

        lo, hi = clamp(start), clamp(end)
        if lo is None or hi is None:
            return self.fresh()
        return sympy.Max(0, hi - lo)

    def op_ConstantOfShape(self, n, ins):
        v = self.values_of(n.input[0])
        if v is not None:
            return [[d if _is_number(d) or d.is_nonnegative else self.fresh() for d in v]]
        if ins[0] is not None and _is_number(ins[0][0]):
            return [[self.fresh() for _ in range(int(ins[0][0]))]]
        return None

    def op_Expand(self, n, ins):
        target = self.values_of(n.input[1])
        if ins[0] is None or target is None:
            return None
        # an entry of 1 keeps the input's dim: an entry that might be 1 or even 0 (an opaque
        # value) says nothing; a dim >= 1 is left to broadcast()'s rules
        target = [d if _is_number(d) or d.is_positive else self.fresh() for d in target]
        return [self.broadcast([ins[0], target])]

    def op_Range(self, n, ins):
        start, limit, delta = (self.values_of(i) for i in n.input)
        if start is None or limit is None or delta is None or not _is_number(delta[0]):
            return [[self.fresh()]]
        length = sympy.Max(0, sympy.ceiling((limit[0] - start[0]) / delta[0]))
        return [[length]]

    def op_Split(self, n, ins):
        x = ins[0]
        if x is None:
            return None
        axis = _attr(n, "axis", 0) % len(x)
        sizes = _attr(n, "split")
        if sizes is None and len(n.input) > 1 and n.input[1]:
            sizes = self.const_ints(n.input[1])
        if sizes is None:
            return None
        return [[sympy.Integer(s) if k == axis else d for k, d in enumerate(x)] for s in sizes]

    def op_Where(self, n, ins):
        self.broadcast_values(n)
        if any(s is None for s in ins):
            return None
        return [self.broadcast(ins)]

    def op_Tile(self, n, ins):
        reps = self.values_of(n.input[1])
        if ins[0] is None or reps is None:
            return None
        return [[sympy.expand(d * r) for d, r in zip(ins[0], reps)]]

    # -- output -------------------------------------------------------------------------
    def value_infos(self) -> list:
        skip = {vi.name for vi in self.graph.input} | {vi.name for vi in self.graph.output} | \
               {init.name for init in self.graph.initializer}
        infos = []
        for n in self.graph.node:
            for out in n.output:
                shape = self.shape.get(out)
                if not out or out in skip or shape is None or not self.elem.get(out):
                    continue
                infos.append(helper.make_tensor_value_info(out, self.elem[out], [dim_text(d) for d in shape]))
        return infos


def dim_text(d: Dim) -> int | str:
    """A dim as onnx stores it: an int, or the expression's canonical text."""
    return int(d) if _is_number(d) else sympy.sstr(d)


def name_dims(model: ModelProto, may_be_zero: Sequence[str] = ()) -> ModelProto:
    """Replaces the top-level graph's value_info with symbolically named shapes (in place;
    returns the model). Graph inputs, outputs and initializers are left as they are. The
    graph inputs' named dims are taken to be >= 1 except those in `may_be_zero`."""
    p = _Pass(model, may_be_zero)
    p.run()
    model.graph.ClearField("value_info")
    model.graph.value_info.extend(p.value_infos())
    return model


def verify_dims(path: str | Path, sizes: Sequence[dict[str, int]], backend: str = "node") -> list[str]:
    """Runs the model at each assignment of its input dims (e.g. {"batch_size": 2,
    "sequence_length": 9}) with every annotated value exposed as an output, and returns what
    contradicts the annotations (empty when none): a dim whose expression in the input dims
    evaluates to another size, or one name taking two sizes in one run (names built on
    unknowns, such as `unk__3 + 1`, must at least agree with themselves)."""
    import tempfile

    from common.onnx_graph import load_model, save_model
    from common.ort_runner import output_dims

    model = load_model(path)
    annotated = {vi.name: [d.dim_value if d.HasField("dim_value") else d.dim_param for d in vi.type.tensor_type.shape.dim]
                 for vi in model.graph.value_info}
    model.graph.output.extend(helper.make_tensor_value_info(name, vi.type.tensor_type.elem_type, None)
                              for name, vi in ((vi.name, vi) for vi in model.graph.value_info))
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="symbolic_dims_") as tmp:
        exposed = save_model(model, Path(tmp) / "exposed.onnx")
        for size in sizes:
            seen: dict[str, tuple[int, str]] = {}
            dims = output_dims(exposed, _feeds(model, size), backend)
            for name, expected in annotated.items():
                actual = dims[name]
                if len(actual) != len(expected):
                    problems.append(f"{size}: {name} has rank {len(actual)}, annotated {expected}")
                    continue
                for got, want in zip(actual, expected):
                    if isinstance(want, int):
                        ok = got == want
                    else:
                        expr = sympy.sympify(want, locals={k: sympy.Symbol(k) for k in _names(want)})
                        known = expr.subs({sympy.Symbol(k): v for k, v in size.items()})
                        ok = got == int(known) if known.is_number else seen.setdefault(want, (got, name))[0] == got
                    if not ok:
                        problems.append(f"{size}: {name} is {actual}, annotated {expected}")
                        break
    return problems


def _names(text: str) -> set[str]:
    import re

    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) - {"Min", "Max", "floor", "ceiling", "Abs"}


def _feeds(model: ModelProto, size: dict[str, int]) -> dict[str, np.ndarray]:
    """Feeds of the given dims: ids counting up from 5 (valid in any vocabulary we make),
    masks of ones, zeros for the rest."""
    feeds = {}
    for vi in model.graph.input:
        t = vi.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else size[d.dim_param] for d in t.shape.dim]
        dtype = mapping.TENSOR_TYPE_TO_NP_TYPE[t.elem_type]
        if "mask" in vi.name:
            feeds[vi.name] = np.ones(shape, dtype)
        elif np.issubdtype(dtype, np.integer):
            feeds[vi.name] = (5 + np.arange(int(np.prod(shape))) % 7).reshape(shape).astype(dtype)
        else:
            feeds[vi.name] = np.zeros(shape, dtype)
    return feeds


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Name every dim of ONNX graphs in place, or check the names at run time.")
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--verify", action="store_true", help="check the annotations at a few input sizes instead")
    parser.add_argument("--may-be-zero", action="append", default=[], metavar="DIM", help="an input dim that can be 0")
    args = parser.parse_args(argv)
    from common.onnx_graph import load_model, save_model

    failed = False
    for path in args.models:
        if args.verify:
            sizes = [{"batch_size": b, "sequence_length": s} for b, s in ((1, 3), (2, 7), (3, 20))]
            problems = verify_dims(path, sizes)
            failed |= bool(problems)
            print(f"{path}: " + ("every annotated dim holds at " + str(sizes) if not problems else "\n  ".join(problems[:20])))
        else:
            model = name_dims(load_model(path), args.may_be_zero)
            save_model(model, path)
            print(f"{path}: {len(model.graph.value_info)} values named")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
