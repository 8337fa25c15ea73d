"""PairRM's DeBERTa-v3-style Unigram tokenizer files and the plain-text encoding the
pair rule uses (see tools/pairrm/pair_encoding.py).

Plain text: the tokenizer's normalizer, Metaspace and Unigram only, never added-token or
special-token matching, so user text can never produce a marker or special id. The
reference for these ids is sentencepiece (`SentencePieceProcessor.encode`), which never
emits control pieces or user-defined tokens from text. Two edits to the shared
`unigram_tokenizer_json` make a Hugging Face tokenizer.json agree with it when its model is
run on plain text (HF tokenizers' and transformers.js's Unigram match any vocab string):
  * the added tokens ([MASK], markers) are kept out of the Unigram vocab (they stay in
    `added_tokens` with their ids, as in Hugging Face's own DeBERTa-v3 tokenizer.json);
  * the special pieces [PAD] [CLS] [SEP] [UNK] get score CONTROL_SCORE, so a literal
    "[CLS]" is spelled with ordinary pieces. The unknown-character score (min score - 10)
    shifts with it, by the same amount on every path: the best path does not change.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tools/common imports `common.*`
from common.corpus import gather_corpus  # noqa: E402
from common.unigram import (  # noqa: E402
    load_spm, template_post_processor, train_unigram, unigram_tokenizer_json,
)
from sentencepiece import sentencepiece_model_pb2 as sp_pb2  # noqa: E402

SPECIALS = ("[PAD]", "[CLS]", "[SEP]", "[UNK]")  # ids 0..3, as in DeBERTa-v3
ADDED = ("[MASK]", "<|source|>", "<|candidate1|>", "<|candidate2|>", "<|candidate|>")  # after the vocab
CONTROL_SCORE = -1.0e6

TINY_VOCAB = 2000
TINY_CORPUS_BYTES = 200_000
TINY_SEED = 0


def train_tiny_spm(work_dir: Path) -> sp_pb2.ModelProto:
    return train_unigram(
        gather_corpus(TINY_CORPUS_BYTES, seed=TINY_SEED), TINY_VOCAB, work_dir, seed=TINY_SEED,
        pad_id=0, bos_id=1, eos_id=2, unk_id=3,
        pad_piece="[PAD]", bos_piece="[CLS]", eos_piece="[SEP]", unk_piece="[UNK]",
    )


def added_token_ids(proto: sp_pb2.ModelProto) -> dict[str, int]:
    return {token: len(proto.pieces) + i for i, token in enumerate(ADDED)}


def pairrm_tokenizer_json(proto: sp_pb2.ModelProto) -> dict:
    for i, special in enumerate(SPECIALS):
        if proto.pieces[i].piece != special:
            raise ValueError(f"spm piece {i} is {proto.pieces[i].piece!r}, expected {special!r}")
    ids = {s: i for i, s in enumerate(SPECIALS)} | added_token_ids(proto)
    tokenizer = unigram_tokenizer_json(
        proto, specials=SPECIALS, added_tokens=ADDED,
        post_processor=template_post_processor(
            ["[CLS]", "$A", "[SEP]"], ["[CLS]", "$A", "[SEP]", "$B", "[SEP]"], ids),
    )
    tokenizer["model"]["vocab"] = tokenizer["model"]["vocab"][: len(proto.pieces)]
    return plain_text_safe(tokenizer)


def plain_text_safe(tokenizer: dict) -> dict:
    """The two edits described in the module doc, on any Unigram tokenizer.json (ours, or
    one shipped with a checkpoint): added tokens leave the Unigram vocab, special pieces get
    CONTROL_SCORE."""
    added = tokenizer["added_tokens"]
    vocab = tokenizer["model"]["vocab"]
    first_added = min((t["id"] for t in added if t["content"] in ADDED), default=len(vocab))
    if any(piece in ADDED for piece, _ in vocab[:first_added]):
        raise ValueError("an added token sits inside the Unigram vocab before the added ids")
    vocab = [list(entry) for entry in vocab[:first_added]]
    for token in added:
        if token["special"] and token["id"] < len(vocab) and vocab[token["id"]][0] == token["content"]:
            vocab[token["id"]][1] = CONTROL_SCORE
    tokenizer["model"]["vocab"] = vocab
    return tokenizer


def tokenizer_config(model_max_length: int) -> dict:
    return {
        "tokenizer_class": "DebertaV2Tokenizer",
        "do_lower_case": False,
        "split_by_punct": False,
        "vocab_type": "spm",
        "model_max_length": model_max_length,
        "bos_token": "[CLS]", "eos_token": "[SEP]", "unk_token": "[UNK]", "sep_token": "[SEP]",
        "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]",
    }


def load_proto(path: Path) -> sp_pb2.ModelProto:
    proto = sp_pb2.ModelProto()
    proto.ParseFromString(Path(path).read_bytes())
    return proto


def tokenizer_json_from_spm(spm_path: Path, hf_dir: Path) -> dict:
    """For a real PairRM-hf folder without tokenizer.json: convert its spm.model, checking
    that added_tokens.json (when present) holds ADDED right after the spm vocab."""
    proto = load_proto(spm_path)
    added_json = Path(hf_dir) / "added_tokens.json"
    if added_json.exists():
        declared = json.loads(added_json.read_text())
        expected = added_token_ids(proto)
        if declared != expected:
            raise ValueError(f"{added_json} is {declared}, expected {expected}")
    return pairrm_tokenizer_json(proto)


class PlainTextEncoder:
    """Content ids for plain text: sentencepiece with the trained model."""

    def __init__(self, proto: sp_pb2.ModelProto):
        self.processor = load_spm(proto)

    def __call__(self, text: str) -> list[int]:
        return list(self.processor.encode(text))
