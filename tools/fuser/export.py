"""Exports a Hugging Face Flan-T5 / GenFuser checkpoint folder to the folder layout
transformers.js loads (AutoModelForSeq2SeqLM), with quantized variants and a manifest.

  /usr/bin/python3 tools/fuser/export.py HF_DIR OUT_DIR [--variants fp16 q8 q4]
      [--agreement-prompts ids.json] [--source-max-tokens 1024] [--candidate-max-tokens 128]

HF_DIR: config.json, model.safetensors (or a sharded index, or pytorch_model*.bin) and
optionally tokenizer.json + tokenizer_config.json (copied) or spiece.model (converted).
OUT_DIR gets config.json, generation_config.json, the tokenizer files when there are
any, onnx/encoder_model.onnx + onnx/decoder_model_merged.onnx and their variants
(_fp16, _quantized, _q4), and manifest.json. `--variants` with no names writes fp32
only. `--agreement-prompts` (a JSON list of encoder id lists) adds to the manifest each
variant's greedy token agreement with fp32 on onnxruntime-node. The manifest always gets
the self-check `probe` a loaded fuser runs (tools/common/probe.py).
Graphs over ~1.9 GB are written with external data split into <= 1.9 GB chunks named
as transformers.js expects (X.onnx_data, X.onnx_data_1, ...), and config.json's
`transformers.js_config.use_external_data_format` lists each file's chunk count.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common.manifest import write_manifest  # noqa: E402
from common.probe import add_probe  # noqa: E402
from external_data import rechunk_external_data  # noqa: E402
from model import T5Config, load_t5  # noqa: E402
from onnx_export import export_decoder, export_encoder  # noqa: E402

GRAPHS = ("encoder_model", "decoder_model_merged")
# As Hugging Face's T5 (`_keep_in_fp32_modules = ["wo"]`): the feed-forward output
# projection overflows float16 in Flan-T5-XL, so those MatMuls stay float32 in the fp16 variant.
FP16_OPTIONS = {"keep_fp32_nodes": [r"DenseReluDense/wo(_\d+)?/"]}
SUFFIXES = {"fp32": "", "fp16": "_fp16", "q8": "_quantized", "q4": "_q4"}
# Config keys transformers.js and Hugging Face read for T5; the rest is dropped.
CONFIG_KEYS = (
    "architectures", "model_type", "vocab_size", "d_model", "d_kv", "d_ff", "num_heads", "num_layers",
    "num_decoder_layers", "relative_attention_num_buckets", "relative_attention_max_distance",
    "layer_norm_epsilon", "feed_forward_proj", "dense_act_fn", "is_gated_act", "tie_word_embeddings",
    "is_encoder_decoder", "use_cache", "decoder_start_token_id", "eos_token_id", "pad_token_id",
    "dropout_rate", "initializer_factor",
)


def write_config(cfg: T5Config, hf_config: dict, out: Path, limits: dict, chunks: dict) -> None:
    config = {k: hf_config[k] for k in CONFIG_KEYS if k in hf_config}
    config.update({
        "model_type": "t5", "architectures": ["T5ForConditionalGeneration"], "is_encoder_decoder": True,
        "use_cache": True, "num_decoder_layers": cfg.num_decoder_layers,
        "dense_act_fn": "gelu_new", "is_gated_act": True,
        # GenFuser prompt limits (docs/reference.md §5, docs/model-folder.md §3), read by the engine.
        "source_max_tokens": limits["source_max_tokens"], "candidate_max_tokens": limits["candidate_max_tokens"],
    })
    if chunks:
        config["transformers.js_config"] = {"use_external_data_format": chunks}
    (out / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    generation = {
        "decoder_start_token_id": cfg.decoder_start_token_id,
        "eos_token_id": cfg.eos_token_id,
        "pad_token_id": cfg.pad_token_id,
    }
    (out / "generation_config.json").write_text(json.dumps(generation, indent=2, sort_keys=True) + "\n")


def write_tokenizer(hf: Path, out: Path) -> bool:
    if (hf / "tokenizer.json").exists():
        shutil.copyfile(hf / "tokenizer.json", out / "tokenizer.json")
        if (hf / "tokenizer_config.json").exists():
            shutil.copyfile(hf / "tokenizer_config.json", out / "tokenizer_config.json")
        else:
            from t5_tokenizer import tokenizer_config

            extra_ids = sum(1 for t in json.loads((hf / "tokenizer.json").read_text())["added_tokens"] if t["content"].startswith("<extra_id_"))
            (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(extra_ids), indent=2, sort_keys=True) + "\n")
        return True
    if (hf / "spiece.model").exists():
        from t5_tokenizer import write_t5_tokenizer

        write_t5_tokenizer(hf / "spiece.model", out, extra_ids=_extra_ids(hf))
        return True
    return False


def _extra_ids(hf: Path) -> int:
    cfg = hf / "tokenizer_config.json"
    if cfg.exists():
        return int(json.loads(cfg.read_text()).get("extra_ids", 100))
    return 100


def greedy_outputs(out: Path, suffix: str, prompts_path: Path, max_new_tokens: int) -> list[list[int]]:
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "out.json"
        subprocess.run(
            ["node", str(HERE / "greedy_onnx.mjs"), "--folder", str(out), "--suffix", suffix, "--prompts", str(prompts_path),
             "--max-new-tokens", str(max_new_tokens), "--out", str(result)],
            check=True, cwd=HERE.parents[1],
        )
        return json.loads(result.read_text())


def agreement(reference: list[list[int]], other: list[list[int]]) -> dict:
    """Greedy token agreement: positions where the variant's token equals fp32's, over
    fp32's generated positions (a variant that stops early disagrees on the rest)."""
    same = total = exact = 0
    for ref, got in zip(reference, other):
        for i in range(1, len(ref)):
            total += 1
            same += int(i < len(got) and got[i] == ref[i])
        exact += int(ref == got)
    return {"greedy_token_agreement": round(same / total, 4), "greedy_exact_sequences": f"{exact}/{len(reference)}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("hf_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--variants", nargs="*", default=["fp16", "q8", "q4"], choices=["fp16", "q8", "q4"])
    parser.add_argument("--agreement-prompts", type=Path)
    parser.add_argument("--agreement-max-new-tokens", type=int, default=20)
    parser.add_argument("--source-max-tokens", type=int, default=1024)
    parser.add_argument("--candidate-max-tokens", type=int, default=128)
    parser.add_argument("--max-chunk-bytes", type=int, default=1_900_000_000, help="largest external data chunk")
    parser.add_argument("--force-external-data", action="store_true", help="external data even for small graphs (tests)")
    args = parser.parse_args()
    torch.set_num_threads(2)

    out: Path = args.out_dir
    if out.exists():
        shutil.rmtree(out)
    (out / "onnx").mkdir(parents=True)
    model = load_t5(args.hf_dir)
    export_encoder(model, out / "onnx" / "encoder_model.onnx")
    export_decoder(model, out / "onnx" / "decoder_model_merged.onnx")
    hf_config = json.loads((args.hf_dir / "config.json").read_text())
    cfg = model.config
    del model  # the 3B model is ~11 GB in fp32: free it before quantizing

    if args.variants:
        from common.variants import write_variants

        for graph in GRAPHS:
            write_variants(out / "onnx" / f"{graph}.onnx", tuple(args.variants), fp16_options=FP16_OPTIONS)
    chunks = {}
    for path in sorted((out / "onnx").glob("*.onnx")):
        count = rechunk_external_data(path, args.max_chunk_bytes, force=args.force_external_data)
        if count:
            chunks[path.name] = count
    limits = {"source_max_tokens": args.source_max_tokens, "candidate_max_tokens": args.candidate_max_tokens}
    write_config(cfg, hf_config, out, limits, chunks)
    has_tokenizer = write_tokenizer(args.hf_dir, out)

    extra: dict = {"model": "GenFuser / Flan-T5 (T5 v1.1) for transformers.js", "tokenizer": has_tokenizer}
    if args.agreement_prompts:
        reference = greedy_outputs(out, "", args.agreement_prompts, args.agreement_max_new_tokens)
        extra["agreement_with_fp32"] = {
            variant: agreement(reference, greedy_outputs(out, SUFFIXES[variant], args.agreement_prompts, args.agreement_max_new_tokens))
            for variant in args.variants
        }
        extra["agreement_prompts"] = len(reference)
    write_manifest(out, extra)
    add_probe(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
