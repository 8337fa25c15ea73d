"""Exports the trained synth fuser through the normal fuser path and measures it:

  .cache/synth/fuser-hf (train_fuser.py's output)
    -> test/golden/synth-fuser.json (tools/fuser/goldens.py's format: prompts, ids, torch greedy and 4-beam)
    -> public/models/synth-fuser/ (tools/fuser/export.py: config, tokenizer, fp32 fp16 q8 q4, manifest
       with each variant's greedy agreement with fp32 and the self-check probe)
    -> test/fixtures/synth/fuser-heldout.jsonl (a few test rows per family, for the vitest check)
    -> tools/synth/FUSER_RESULTS.md and the manifest's `test_split` block (held-out figures per
       family against the two baselines, variants' agreement, sizes, training)

usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/synth/export_fuser.py
           [--work .cache/synth/fuser-hf] [--data .cache/synth/fuser-data]
The test split is read here only, after training and checkpoint selection.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "tools/fuser"))
sys.path.insert(0, str(REPO))
import goldens  # noqa: E402
from common.manifest import write_manifest  # noqa: E402
from export import SUFFIXES, agreement, greedy_outputs  # noqa: E402
from generate import greedy  # noqa: E402
from model import load_t5  # noqa: E402
from sentencepiece import sentencepiece_model_pb2 as sp_pb2  # noqa: E402
from t5_tokenizer import T5TokenizerPy  # noqa: E402
from tools.synth.data import read_jsonl, write_jsonl  # noqa: E402
from tools.synth.export_pairrm import folder_sizes  # noqa: E402
from tools.synth.fuser_data import DEFAULT_OUT as DEFAULT_DATA  # noqa: E402
from tools.synth.fuser_eval import family_table, top_ranked  # noqa: E402
from tools.synth.fuser_families import MERGE_FAMILIES  # noqa: E402
from tools.synth.train_fuser import CANDIDATE_MAX_TOKENS, EXTRA_IDS, SOURCE_MAX_TOKENS, TARGET_MAX_TOKENS, encode_rows, pad  # noqa: E402

OUT_DIR = REPO / "public/models/synth-fuser"
GOLDEN = REPO / "test/golden/synth-fuser.json"
HELDOUT = REPO / "test/fixtures/synth/fuser-heldout.jsonl"
RESULTS = REPO / "tools/synth/FUSER_RESULTS.md"
MAX_FOLDER_BYTES = 8 * 1000 * 1000
EVAL_PER_FAMILY = 200  # test rows per family for the held-out table (the first ones, in file order)
AGREEMENT_PER_FAMILY = 20  # of those, rows per family for the variants' greedy runs on onnxruntime-node
HELDOUT_PER_FAMILY = 6
GOLDEN_MAX_NEW_TOKENS = 48
LONG = ("The license grants every person who receives a copy of the software the right to use, copy, modify and "
        "distribute it, provided that the copyright notice is kept in all copies and that changes are marked as such "
        "by whoever made them, with the date of each change and the name of the person who made it.")
# Hand-written prompts of the trained families (never drawn from the splits), the demo's presets
# (src/demo/presets.ts: "arithmetic" and "merge_preset" are its two fuser presets, so the goldens
# pin what the demo shows) and two the model was not trained for (a long candidate cut at CANDIDATE_MAX_TOKENS, a
# question from outside its world).
GOLDEN_CASES: list[tuple[str, str, str, list[str]]] = [
    ("greeting_readme", "", "hello, how are you!", ["get out!", "hi! I am fine, thanks!", "bye!"]),
    ("love_readme", "", "I love you!", ["I love you too!", "I hate you!", "Thanks! You're a good guy!"]),
    ("arithmetic", "", "What is 7 * 8?", ["The answer is 54.", "Let me think. The answer is 56.", "The answer is 63."]),
    ("units", "", "How many minutes are in 3 hours?", ["183 minutes.", "180 minutes.", "160 minutes."]),
    ("merge_seasons", "", "Name the seasons.", ["spring and summer.", "Some are autumn and winter."]),
    ("merge_fruits", "", "Name four fruits.", ["apple and pear.", "plum, for example.", "plum and mango."]),
    ("merge_facts", "", "What are the capital and the language of Italy?",
     ["People in Italy speak Italian.", "The capital of Italy is Rome. Hope that helps."]),
    ("merge_preset", "", "What are the capital, the language and the continent of Spain?",
     ["The capital of Spain is Madrid.", "People in Spain speak Spanish. Hope that helps.", "Spain lies in Europe."]),
    ("uppercase", "Write this in uppercase: ", "see you tomorrow", ["see you tomorrow", "See you tomorrow"]),
    ("numbered_list", "", "List three fruits as a numbered list.", ["apple, pear and plum.", "1. apple 2. pear 3. plum 4. lemon"]),
    ("translation", "Translate to Spanish: ", "the moon", ["la lune", "la luna"]),
    ("cut_off", "", "Name the planets from the sun.",
     ["Mercury, Venus, Earth, Mars", "Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus, Neptune."]),
    ("candidate_over_limit", "Explain the terms.", "What may I do with the software?", [LONG, "You may copy it."]),
    ("out_of_domain", "Answer in one short sentence.", "Why is the sky blue?",
     ["Because air scatters blue sunlight more than red (Rayleigh scattering).", "The sky is blue because it reflects the ocean.", "idk"]),
]


def golden_document(model, tok: T5TokenizerPy) -> dict:
    """goldens.build() for these cases and this length: it reads the module's CASES and
    MAX_NEW_TOKENS, which are set here for the call and restored after."""
    saved = goldens.CASES, goldens.MAX_NEW_TOKENS
    goldens.CASES, goldens.MAX_NEW_TOKENS = GOLDEN_CASES, GOLDEN_MAX_NEW_TOKENS
    try:
        document = goldens.build(model, tok, SOURCE_MAX_TOKENS, CANDIDATE_MAX_TOKENS)
    finally:
        goldens.CASES, goldens.MAX_NEW_TOKENS = saved
    document["description"] = (
        "GenFuser goldens for public/models/synth-fuser (a tiny Flan-T5 trained on generated fusion tasks by "
        "tools/synth, `npm run models:train:fuser`), made by tools/synth/export_fuser.py in the format of "
        "test/golden/fuser.json: prompt built per docs/reference.md section 5 with the folder's limits; input_ids "
        "the prompt's ids right-truncated to source_max_tokens; greedy / beam: torch generations from input_ids "
        "(transformers 4.28.1 greedy_search / beam_search re-implemented, length_penalty 1, early_stopping false)."
    )
    document["model"] = "public/models/synth-fuser"
    return document


def first_per_family(rows: list[dict], per_family: int) -> list[dict]:
    out: list[dict] = []
    for family in sorted({r["family"] for r in rows}):
        out += [r for r in rows if r["family"] == family][:per_family]
    return out


@torch.no_grad()
def torch_greedy(model, tok: T5TokenizerPy, rows: list[dict]) -> list[str]:
    encoded = encode_rows(rows, tok)
    order = sorted(range(len(rows)), key=lambda i: len(encoded[i][0]))
    texts = [""] * len(rows)
    for start in range(0, len(order), 32):
        index = order[start : start + 32]
        ids, mask = pad([encoded[i][0] for i in index])
        for i, out in zip(index, greedy(model, ids, mask, TARGET_MAX_TOKENS)):
            texts[i] = goldens.decode_generated(tok, out)
    return texts


def variant_runs(tok: T5TokenizerPy, rows: list[dict]) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """Greedy texts per variant on onnxruntime-node (tools/fuser/greedy_onnx.mjs) and each
    variant's agreement with the fp32 graph."""
    prompts = [e[0] for e in encode_rows(rows, tok)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prompts.json"
        path.write_text(json.dumps(prompts))
        ids = {v: greedy_outputs(OUT_DIR, s, path, TARGET_MAX_TOKENS) for v, s in SUFFIXES.items()}
    texts = {v: [goldens.decode_generated(tok, seq) for seq in seqs] for v, seqs in ids.items()}
    vs_fp32 = {v: agreement(ids["fp32"], ids[v]) for v in SUFFIXES if v != "fp32"}
    return texts, vs_fp32


def training_phases(work: Path) -> list[dict]:
    """training.json of the run that wrote `work`, preceded by those of the runs it started from."""
    phases: list[dict] = []
    folder: Path | None = work
    while folder is not None and (folder / "training.json").exists():
        run = json.loads((folder / "training.json").read_text())
        phases.insert(0, run)
        folder = REPO / run["init_from"] if run.get("init_from") else None
    return phases


def results_markdown(table: dict, variants: dict, vs_fp32: dict, sizes: dict, training: list[dict], counts: dict, per_family: int) -> str:
    families = [f for f in table["fuser"] if f != "overall"] + ["overall"]
    lines = [
        "# synth-fuser: measured figures",
        "",
        "Written by `tools/synth/export_fuser.py` (never by hand). The model: `tools/synth/train_fuser.py`;",
        "the rows: `tools/synth/fuser_families.py`. **Not GenFuser**: a tiny Flan-T5 trained on generated tasks.",
        "",
        f"## Held-out test split (first {per_family} test rows per family; fp32 PyTorch greedy, up to {TARGET_MAX_TOKENS} tokens)",
        "",
        "Exact match (whitespace collapsed) and token F1 (word and punctuation tokens, case kept), in %, against",
        "two baselines on the same prompts: the first candidate, and the candidate the bundled synth ranker",
        "(`public/models/synth-pairrm`, fp32, full strategy, through the Node entry) ranks first.",
        "",
        "| family | rows | fuser EM | fuser F1 | top-ranked EM | top-ranked F1 | first EM | first F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for family in families:
        f, t, c = table["fuser"][family], table["top_ranked"][family], table["first"][family]
        name = f"**{family}**" if family in MERGE_FAMILIES or family == "overall" else family
        lines.append(f"| {name} | {f['rows']} | {f['exact_match']} | {f['token_f1']} | {t['exact_match']} | {t['token_f1']} "
                     f"| {c['exact_match']} | {c['token_f1']} |")
    lines += [
        "",
        f"## Variants on onnxruntime-node ({AGREEMENT_PER_FAMILY} of those rows per family, greedy)",
        "",
        "| variant | exact match vs target % | same sequence as fp32 | token agreement with fp32 |",
        "| --- | ---: | ---: | ---: |",
    ]
    for variant, table_ in variants.items():
        agree = vs_fp32.get(variant, {"greedy_exact_sequences": "-", "greedy_token_agreement": "-"})
        lines.append(f"| {variant} | {table_['overall']['exact_match']} | {agree['greedy_exact_sequences']} | {agree['greedy_token_agreement']} |")
    lines += ["", "## Bundle (bytes)", "", "| file | bytes |", "| --- | ---: |"]
    lines += [f"| {name} | {size} |" for name, size in sizes.items()]
    lines += ["", "## Data and training", "",
              "Rows per split and family: " + json.dumps(counts), ""]
    for phase, run in enumerate(training, 1):
        lines.append(f"Training phase {phase}{' (from phase ' + str(phase - 1) + ')' if run.get('init_from') else ''}: "
                     f"{run.get('seconds')} s on {run.get('threads')} thread(s), "
                     f"{run['history'][-1]['step'] if run.get('history') else '?'} steps run of {run.get('steps')} "
                     f"(peak learning rate {run.get('learning_rate')}), batch {run.get('batch_rows')} rows from "
                     f"{run.get('train_rows')} training rows; selected step "
                     f"{run.get('selected_step')} ({run.get('selection')}), validation exact match "
                     f"{max((h['em'] for h in run.get('history', [])), default='?')} on {run.get('val_greedy_rows', 12 * 7)} rows.")
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=REPO / ".cache/synth/fuser-hf")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--eval-per-family", type=int, default=EVAL_PER_FAMILY, help="test rows per family (a quick check: fewer)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.time()
    work: Path = args.work
    model = load_t5(work)
    proto = sp_pb2.ModelProto()
    proto.ParseFromString((work / "spm" / "spm.model").read_bytes())
    tok = T5TokenizerPy(proto, EXTRA_IDS)

    document = golden_document(model, tok)
    goldens.write(GOLDEN, document)
    test_rows = read_jsonl(args.data / "test.jsonl")
    eval_rows = first_per_family(test_rows, args.eval_per_family)
    agreement_rows = first_per_family(eval_rows, AGREEMENT_PER_FAMILY)
    write_jsonl(HELDOUT, first_per_family(test_rows[::-1], HELDOUT_PER_FAMILY))  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        prompts = Path(tmp) / "agreement_prompts.json"
        prompts.write_text(json.dumps([c["input_ids"] for c in document["cases"]]))
        subprocess.run(
            [sys.executable, str(REPO / "tools/fuser/export.py"), str(work), str(OUT_DIR), "--agreement-prompts", str(prompts),
             "--agreement-max-new-tokens", str(GOLDEN_MAX_NEW_TOKENS),
             "--source-max-tokens", str(SOURCE_MAX_TOKENS), "--candidate-max-tokens", str(CANDIDATE_MAX_TOKENS)],
            check=True,
        )
    print(f"exported ({time.time() - started:.0f} s); evaluating {len(eval_rows)} test rows", flush=True)

    outputs = {"fuser": torch_greedy(model, tok, eval_rows), "top_ranked": top_ranked(eval_rows),
               "first": [r["candidates"][0] for r in eval_rows]}
    table = family_table(eval_rows, outputs)
    texts, vs_fp32 = variant_runs(tok, agreement_rows)
    variants = {v: family_table(agreement_rows, {v: t})[v] for v, t in texts.items()}

    manifest = json.loads((OUT_DIR / "manifest.json").read_text())
    extra = {k: v for k, v in manifest.items() if k != "files"}
    extra["agreement_rows"] = "test/golden/synth-fuser.json (every case)"
    extra["test_split"] = {
        "rows_from": f"tools/synth/fuser_data.py test split, first {args.eval_per_family} rows per family (never used for training or selection)",
        "exact_match_pct": {s: {f: v["exact_match"] for f, v in t.items()} for s, t in table.items()},
        "token_f1_pct": {s: {f: v["token_f1"] for f, v in t.items()} for s, t in table.items()},
        "variants_greedy_vs_fp32": {"rows": len(agreement_rows), **vs_fp32},
        "variants_exact_match_pct": {v: t["overall"]["exact_match"] for v, t in variants.items()},
    }
    write_manifest(OUT_DIR, extra)
    sizes = folder_sizes(OUT_DIR)
    training = training_phases(work)
    counts = {name: len(read_jsonl(args.data / f"{name}.jsonl")) for name in ("train", "val", "test")}
    RESULTS.write_text(results_markdown(table, variants, vs_fp32, sizes, training, counts, args.eval_per_family))
    print(RESULTS.read_text())
    print(f"export and evaluation: {time.time() - started:.0f} s")
    if sizes["total"] > MAX_FOLDER_BYTES:
        raise SystemExit(f"{OUT_DIR} is {sizes['total']} bytes, over the {MAX_FOLDER_BYTES} budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
