"""Tiny Unigram tokenizers: train with sentencepiece, export as a Hugging Face
`tokenizer.json` that transformers.js tokenizes exactly like sentencepiece.

Why the defaults are what they are (measured, see tools/common/README.md):
- transformers.js's `Precompiled` normalizer ignores the charsmap and applies its own
  approximation of sentencepiece's nmt_nfkc (drop control characters, map tab, newline,
  other spaces and U+2581 to " ", then NFKC). So train with normalization "nmt_nfkc".
- transformers.js's Metaspace pre-tokenizer never splits and prepends "▁" only when the
  text does not already start with one; sentencepiece with add_dummy_prefix always
  prepends. They agree when leading whitespace is removed first, so the default is
  remove_extra_whitespaces=True in sentencepiece (strip both ends, collapse runs of
  spaces) mirrored by Strip + Replace(" {2,}" -> " ") normalizers after Precompiled in
  tokenizer.json (DEFAULT_NORMALIZER_EXTRA).
- Unknown characters: both merge consecutive unknown characters into one unk id.
- Added tokens (markers, [SEP], <extra_id_0>...) split the text first; each segment between
  them is normalized and encoded on its own (see `encode_with_added_tokens`).
- U+200D: see DEFAULT_NORMALIZER_PRE.
"""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Iterable

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as sp_pb2

METASPACE = "\u2581"

# transformers.js's Precompiled maps U+200D (zero width joiner, inside emoji sequences
# such as 👩‍💻) to a space, while nmt_nfkc keeps it: shelter it in a plane-16 private-use
# code point (untouched by both NFKC and the charsmap) around Precompiled.
_ZWJ, _ZWJ_SHELTER = "\u200d", "\U0010fffd"
DEFAULT_NORMALIZER_PRE: tuple[dict, ...] = (
    {"type": "Replace", "pattern": {"String": _ZWJ}, "content": _ZWJ_SHELTER},
)
# Normalizers after Precompiled: undo the shelter, then reproduce sentencepiece's
# remove_extra_whitespaces (strip both ends, collapse runs of spaces).
DEFAULT_NORMALIZER_EXTRA: tuple[dict, ...] = (
    {"type": "Replace", "pattern": {"String": _ZWJ_SHELTER}, "content": _ZWJ},
    {"type": "Strip", "strip_left": True, "strip_right": True},
    {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
)


def train_unigram(
    lines: Iterable[str],
    vocab_size: int,
    model_prefix_dir: Path,
    normalization: str = "nmt_nfkc",
    *,
    remove_extra_whitespaces: bool = True,
    seed: int = 0,
    character_coverage: float = 1.0,
    **trainer_kwargs,
) -> sp_pb2.ModelProto:
    """Trains a Unigram model on `lines`, writes `model_prefix_dir/spm.model` and
    `spm.vocab`, and returns the ModelProto. Deterministic (1 thread, fixed seed, every
    sentence used, no shuffling). `trainer_kwargs` go to SentencePieceTrainer (e.g.
    pad_id=0, bos_id=1, eos_id=2, unk_id=3, pad_piece="[PAD]", bos_piece="[CLS]", ...)."""
    model_prefix_dir = Path(model_prefix_dir)
    model_prefix_dir.mkdir(parents=True, exist_ok=True)
    spm.set_random_generator_seed(seed)
    options = dict(
        model_type="unigram",
        vocab_size=vocab_size,
        model_prefix=str(model_prefix_dir / "spm"),
        normalization_rule_name=normalization,
        remove_extra_whitespaces=remove_extra_whitespaces,
        character_coverage=character_coverage,
        num_threads=1,
        input_sentence_size=0,
        shuffle_input_sentence=False,
        byte_fallback=False,
        minloglevel=2,
    )
    options.update(trainer_kwargs)
    spm.SentencePieceTrainer.train(sentence_iterator=iter(list(lines)), **options)
    proto = sp_pb2.ModelProto()
    proto.ParseFromString((model_prefix_dir / "spm.model").read_bytes())
    return proto


def load_spm(proto: sp_pb2.ModelProto) -> spm.SentencePieceProcessor:
    processor = spm.SentencePieceProcessor()
    processor.LoadFromSerializedProto(proto.SerializeToString())
    return processor


def template_post_processor(single: list[str], pair: list[str], special_ids: dict[str, int]) -> dict:
    """A TemplateProcessing post-processor. `single`/`pair` use "$A", "$B" for the
    sequences and special token strings otherwise, e.g. DeBERTa-v3:
    single=["[CLS]", "$A", "[SEP]"], pair=["[CLS]", "$A", "[SEP]", "$B", "[SEP]"];
    T5: single=["$A", "</s>"], pair=["$A", "</s>", "$B", "</s>"]."""
    def items(template: list[str]) -> list[dict]:
        out = []
        type_id = 0
        for piece in template:
            if piece in ("$A", "$B"):
                type_id = 0 if piece == "$A" else 1
                out.append({"Sequence": {"id": piece[1], "type_id": type_id}})
            else:
                out.append({"SpecialToken": {"id": piece, "type_id": type_id}})
        return out

    used = sorted({p for p in single + pair if p not in ("$A", "$B")})
    return {
        "type": "TemplateProcessing",
        "single": items(single),
        "pair": items(pair),
        "special_tokens": {t: {"id": t, "ids": [special_ids[t]], "tokens": [t]} for t in used},
    }


def unigram_tokenizer_json(
    proto: sp_pb2.ModelProto,
    *,
    specials: Iterable[str] = (),
    added_tokens: Iterable[str] = (),
    normalizer_pre: Iterable[dict] = DEFAULT_NORMALIZER_PRE,
    normalizer_extra: Iterable[dict] = DEFAULT_NORMALIZER_EXTRA,
    post_processor: dict | None = None,
    special_added_tokens: bool = True,
) -> dict:
    """A Hugging Face tokenizer.json dict for a sentencepiece Unigram model.

    specials: pieces already in the spm vocab (e.g. "[PAD]", "[CLS]", "[SEP]", "[UNK]" or
        "<pad>", "</s>", "<unk>") listed as special added tokens (never split, skipped by
        decode(skip_special_tokens)).
    added_tokens: new tokens appended after the spm vocab in the given order (ids
        len(spm vocab), +1, ...), e.g. "[MASK]" and PairRM's markers, or T5's sentinels
        "<extra_id_99>" ... "<extra_id_0>"; `special_added_tokens` marks them special.
    normalizer_pre / normalizer_extra: normalizers before / after Precompiled; the
        defaults keep U+200D and mirror remove_extra_whitespaces=True.
    post_processor: e.g. template_post_processor(...); None for no special tokens.
    """
    vocab = [[p.piece, float(p.score)] for p in proto.pieces]
    index = {piece: i for i, (piece, _) in enumerate(vocab)}
    added: list[dict] = []
    for token in specials:
        if token not in index:
            raise ValueError(f"special {token!r} is not in the sentencepiece vocab")
        added.append(_added_token(index[token], token, special=True))
    for token in added_tokens:
        if token in index:
            raise ValueError(f"added token {token!r} is already in the vocab (id {index[token]})")
        index[token] = len(vocab)
        vocab.append([token, 0.0])
        added.append(_added_token(index[token], token, special=special_added_tokens))
    added.sort(key=lambda t: t["id"])
    unk_id = next(i for i, p in enumerate(proto.pieces) if p.type == sp_pb2.ModelProto.SentencePiece.UNKNOWN)
    charsmap = base64.b64encode(proto.normalizer_spec.precompiled_charsmap).decode("ascii")
    normalizers = [*normalizer_pre, {"type": "Precompiled", "precompiled_charsmap": charsmap}, *normalizer_extra]
    metaspace = {"type": "Metaspace", "replacement": METASPACE, "prepend_scheme": "always", "split": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": normalizers},
        "pre_tokenizer": metaspace,
        "post_processor": post_processor,
        "decoder": dict(metaspace),
        "model": {"type": "Unigram", "unk_id": unk_id, "vocab": vocab, "byte_fallback": False},
    }


def _added_token(token_id: int, content: str, special: bool) -> dict:
    return {
        "id": token_id, "content": content, "single_word": False, "lstrip": False,
        "rstrip": False, "normalized": not special, "special": special,
    }


def encode_with_added_tokens(
    processor: spm.SentencePieceProcessor, text: str, added: dict[str, int]
) -> list[int]:
    """Ids transformers.js gives for `text` without post-processing: the text is split at
    every added token (leftmost, then longest match), each segment between them is
    encoded by sentencepiece on its own (whitespace-only segments give nothing)."""
    ids: list[int] = []
    tokens = sorted(added, key=len, reverse=True)
    pos = segment_start = 0
    while pos < len(text):
        match = next((t for t in tokens if text.startswith(t, pos)), None)
        if match is None:
            pos += 1
            continue
        ids += processor.encode(text[segment_start:pos])
        ids.append(added[match])
        pos += len(match)
        segment_start = pos
    ids += processor.encode(text[segment_start:])
    return ids
