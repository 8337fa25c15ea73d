"""How far each ONNX variant of a model folder is from its fp32 graph: sign agreement %
and max |logit - fp32 logit| over given rows, run on onnxruntime-node."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from tools.common.ort_runner import run_onnx

VARIANT_FILES = {"fp32": "model.onnx", "fp16": "model_fp16.onnx", "q8": "model_quantized.onnx", "q4": "model_q4.onnx"}


def pad_rows(rows: list[list[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def run_logits(model_path: Path, rows: list[list[int]], pad_id: int, batch: int = 16) -> np.ndarray:
    """Logits per row; rows of a batch are padded together (padding never changes a logit)."""
    out: list[np.ndarray] = []
    for start in range(0, len(rows), batch):
        ids, mask = pad_rows(rows[start : start + batch], pad_id)
        out.append(run_onnx(model_path, {"input_ids": ids, "attention_mask": mask})["logits"])
    return np.concatenate(out).astype(np.float32)


def variant_agreement(model_dir: Path, rows: list[list[int]], pad_id: int, rows_label: str) -> dict:
    """{variant: {sign_agreement_pct, max_abs_dlogit}} for every variant file present."""
    onnx_dir = Path(model_dir) / "onnx"
    reference = run_logits(onnx_dir / VARIANT_FILES["fp32"], rows, pad_id)
    result: dict[str, object] = {"rows": len(rows), "rows_from": rows_label, "reference": "fp32 onnx"}
    for variant, name in VARIANT_FILES.items():
        if variant == "fp32" or not (onnx_dir / name).exists():
            continue
        logits = run_logits(onnx_dir / name, rows, pad_id)
        agree = float(np.mean(np.sign(logits) == np.sign(reference)) * 100)
        result[variant] = {
            "file": f"onnx/{name}",
            "sign_agreement_pct": round(agree, 2),
            "max_abs_dlogit": float(f"{float(np.abs(logits - reference).max()):.3g}"),
        }
    return result
