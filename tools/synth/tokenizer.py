"""The synth models' tokenizer: the PairRM layout of tools/pairrm/tokenizer.py (DeBERTa-v3
specials 0..3, Unigram pieces, then [MASK] and the markers), trained with tools/common's
unigram recipe on the synthetic training split's text plus tools/common's corpus (for
general English and the non-English lines the goldens use)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tools/common imports `common.*`
from common.corpus import gather_corpus  # noqa: E402
from common.unigram import train_unigram  # noqa: E402
from sentencepiece import sentencepiece_model_pb2 as sp_pb2  # noqa: E402

VOCAB = 2000
CORPUS_BYTES = 120_000
SEED = 0


def training_lines(rows: list[dict[str, str]]) -> list[str]:
    """Every text of the rows (source, better, worse), repeats kept: piece scores then
    follow how often the model will see each text (deduplicated lines split common
    politeness words like "love" into letters)."""
    return [text for row in rows for text in (row["instruction"] + row["input"], row["better"], row["worse"])
            if text.strip()]


def train_synth_spm(rows: list[dict[str, str]], work_dir: Path) -> sp_pb2.ModelProto:
    lines = training_lines(rows) + gather_corpus(CORPUS_BYTES, seed=SEED)
    return train_unigram(
        lines, VOCAB, work_dir, seed=SEED,
        pad_id=0, bos_id=1, eos_id=2, unk_id=3,
        pad_piece="[PAD]", bos_piece="[CLS]", eos_piece="[SEP]", unk_piece="[UNK]",
    )
