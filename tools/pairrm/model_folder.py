"""Writes a ready PairRM model folder (layout in docs/model-folder.md): config.json with the fields
the engine reads, onnx/model.onnx and its variants, manifest.json. The tokenizer files are
the caller's job (they differ between the tiny model and a real export)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from tools.common.manifest import write_manifest
from tools.pairrm.model import PairRM
from tools.pairrm.onnx_export import export_onnx

ALL_VARIANTS = ("fp32", "fp16", "q8", "q4")


def write_ranker_variants(fp32_path: Path, variants: tuple[str, ...], *, fp16_options: dict | None = None,
                          q8_options: dict | None = None, q4_options: dict | None = None) -> dict[str, Path]:
    """tools/common's variants as the ranker ships them: q8 quantized per row on the
    activations as they are (`form="nd"`: a ranker's activations are never empty), and every
    value's dims named, so that onnxruntime creates the sessions in a fraction of the time
    (docs/model-folder.md §2)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tools/common imports itself as `common.*`
    from common.variants import write_variants

    return write_variants(fp32_path, variants, fp16_options=fp16_options, q8_options={"form": "nd", **(q8_options or {})},
                          q4_options=q4_options, name_dims=True)


def random_pairrm_architecture(
    *, vocab_size: int, hidden_size: int, layers: int, heads: int, ffn: int,
    position_buckets: int, max_positions: int, markers: dict[str, int], extra_ids: dict[str, int] | None = None,
) -> dict:
    """config.json of a random-weight PairRM: DeBERTa-v3's structure (docs/reference.md §1) at the
    given sizes. `markers` maps "<|source|>", "<|candidate1|>", "<|candidate2|>",
    "<|candidate|>" to ids; `extra_ids` adds token id fields (e.g. cls_token_id) by name."""
    extra = dict(extra_ids or {})
    cls = {"cls_token_id": extra.pop("cls_token_id")} if "cls_token_id" in extra else {}
    return {
        "model_type": "deberta-v2",
        "architectures": ["DebertaV2PairRM"],
        "vocab_size": vocab_size,
        "hidden_size": hidden_size,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "layer_norm_eps": 1e-7,
        "relative_attention": True,
        "pos_att_type": ["p2c", "c2p"],
        "position_buckets": position_buckets,
        "max_relative_positions": -1,
        "max_position_embeddings": max_positions,
        "norm_rel_ebd": "layer_norm",
        "share_att_key": True,
        "position_biased_input": False,
        "type_vocab_size": 0,
        "pad_token_id": 0,
        **cls,
        "sep_token_id": 2,
        "n_tasks": 1,
        "drop_out": 0.05,
        "head_hidden_size": hidden_size,
        "source_prefix_id": markers["<|source|>"],
        "cand1_prefix_id": markers["<|candidate1|>"],
        "cand2_prefix_id": markers["<|candidate2|>"],
        "cand_prefix_id": markers["<|candidate|>"],
        **extra,
    }


def pairrm_config(raw: dict, source_max_length: int, candidate_max_length: int) -> dict:
    """The checkpoint's config plus every field the engine reads (it hard-codes none)."""
    config = dict(raw)
    config["model_type"] = "deberta-v2"
    config.setdefault("architectures", ["DebertaV2PairRM"])
    config["cls_token_id"] = raw.get("cls_token_id", 1)
    config["sep_token_id"] = raw.get("sep_token_id", 2)
    config["pad_token_id"] = raw.get("pad_token_id", 0)
    config["source_max_length"] = source_max_length
    config["candidate_max_length"] = candidate_max_length
    for key in ("source_prefix_id", "cand1_prefix_id", "cand2_prefix_id"):
        if not isinstance(config.get(key), int):
            raise ValueError(f"config.json lacks the PairRM marker id {key}")
    return config


def write_json(path: Path, value: object, compact: bool = False) -> None:
    """compact: no indentation (tokenizer.json: ~15% smaller, it is downloaded)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(value, indent=2, ensure_ascii=False)
    path.write_text(text + "\n")


def write_onnx_files(
    model: PairRM, out_dir: Path, variants: tuple[str, ...], variant_options: dict[str, dict] | None = None
) -> Path:
    """onnx/model.onnx (always) + the requested quantized/fp16 variants; returns the fp32 path.
    variant_options: {"q8": {...}, "q4": {...}, "fp16": {...}} for tools/common's converters."""
    unknown = set(variants) - set(ALL_VARIANTS)
    if unknown:
        raise ValueError(f"unknown variants {sorted(unknown)}; choose from {ALL_VARIANTS}")
    onnx_dir = Path(out_dir) / "onnx"
    if onnx_dir.exists():
        for old in onnx_dir.iterdir():
            old.unlink()
    fp32_path = export_onnx(model, onnx_dir / "model.onnx")
    others = tuple(v for v in variants if v != "fp32")
    if others:
        options = variant_options or {}
        written = write_ranker_variants(fp32_path, others, fp16_options=options.get("fp16"),
                                        q8_options=options.get("q8"), q4_options=options.get("q4"))
        missing = [v for v in others if v not in written]
        if missing:
            raise RuntimeError(f"write_variants did not write {missing}")
    return fp32_path


def finish_folder(out_dir: Path, extra: dict | None = None) -> Path:
    return write_manifest(Path(out_dir), extra)
