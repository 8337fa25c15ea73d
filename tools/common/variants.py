"""Writes the fp16 / q8 / q4 variants of an fp32 ONNX model beside it.

  X.onnx -> X_fp16.onnx, X_quantized.onnx (q8), X_q4.onnx   (transformers.js suffixes)

Every variant keeps the fp32 model's graph input and output names AND dtypes (int64 ids,
float32 tensors; the fp16 variant casts at its boundary), so a caller feeds every variant
the same feeds and reads float32 outputs. Files whose tensors pass ~1.9 GB are written
with external data in `X<suffix>.onnx_data`. Same input, same bytes.

CLI: /usr/bin/python3 tools/common/variants.py path/to/model.onnx [fp16 q8 q4]
         [--embedding-min-bytes N] [--keep-fp32-nodes REGEX]... [--q4-symmetric]
         [--q8-form rows|nd|nbits] [--name-dims]
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.fp16 import convert_fp16  # noqa: E402
from common.onnx_graph import load_model, save_model  # noqa: E402
from common.quantize_q4 import quantize_q4  # noqa: E402
from common.quantize_q8 import quantize_q8  # noqa: E402
from common import symbolic_dims  # noqa: E402

SUFFIXES = {"fp16": "_fp16", "q8": "_quantized", "q4": "_q4"}


def variant_path(fp32_path: Path, variant: str) -> Path:
    fp32_path = Path(fp32_path)
    return fp32_path.with_name(f"{fp32_path.stem}{SUFFIXES[variant]}{fp32_path.suffix}")


def write_variants(
    fp32_path: Path,
    which: tuple[str, ...] | list[str] = ("fp16", "q8", "q4"),
    *,
    fp16_options: dict | None = None,
    q8_options: dict | None = None,
    q4_options: dict | None = None,
    name_dims: bool = False,
) -> dict[str, Path]:
    """Writes each requested variant beside `fp32_path`; returns {variant: path}.
    The *_options dicts are passed to convert_fp16 / quantize_q8 / quantize_q4. `name_dims`:
    every value's dims named (symbolic_dims.py), for graphs whose input dims are all >= 1."""
    fp32_path = Path(fp32_path)
    converters = {
        "fp16": lambda m: convert_fp16(m, **(fp16_options or {})),
        "q8": lambda m: quantize_q8(m, **(q8_options or {})),
        "q4": lambda m: quantize_q4(m, **(q4_options or {})),
    }
    written: dict[str, Path] = {}
    for variant in which:
        if variant not in converters:
            raise ValueError(f"unknown variant {variant!r}; expected one of {sorted(converters)}")
        model = converters[variant](load_model(fp32_path))  # a fresh copy: the converters rewrite in place
        if name_dims:
            symbolic_dims.name_dims(model)
        written[variant] = save_model(model, variant_path(fp32_path, variant))
    return written


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Write fp16 / q8 / q4 variants beside an fp32 ONNX model.")
    parser.add_argument("model", type=Path)
    parser.add_argument("variants", nargs="*", metavar="VARIANT", help="fp16, q8, q4 (default: all)")
    parser.add_argument("--embedding-min-bytes", type=int, default=None,
                        help="quantize constant Gather tables of at least this size (default 1 MiB; 0 = all)")
    parser.add_argument("--keep-fp32-nodes", action="append", default=[], metavar="REGEX",
                        help="fp16: node names matching REGEX stay float32 (repeatable)")
    parser.add_argument("--q4-symmetric", action="store_true", help="q4 without zero points")
    parser.add_argument("--q8-form", choices=["rows", "nd", "nbits"], default="rows", help="quantize_q8's form (default rows)")
    parser.add_argument("--name-dims", action="store_true", help="name every value's dims (input dims all >= 1)")
    args = parser.parse_args(argv)
    q_options = {} if args.embedding_min_bytes is None else {"embedding_min_bytes": args.embedding_min_bytes}
    written = write_variants(
        args.model, tuple(args.variants or ("fp16", "q8", "q4")),
        fp16_options={"keep_fp32_nodes": args.keep_fp32_nodes},
        q8_options={**q_options, "form": args.q8_form},
        q4_options={**q_options, "symmetric": args.q4_symmetric},
        name_dims=args.name_dims,
    )
    for variant, path in written.items():
        print(f"{variant}: {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
