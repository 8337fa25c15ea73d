"""T5-style tokenizer files (tokenizer.json + tokenizer_config.json) from a sentencepiece
Unigram model, and a small Python tokenizer that tokenizes like Hugging Face's fast
T5 tokenizer (added tokens split first, then sentencepiece per segment) for the goldens.

T5 conventions: `<pad>` = 0, `</s>` = 1, `<unk>` = 2, then the pieces, then the sentinels
in REVERSE order (`<extra_id_0>` is the last id), post-processor `$A </s>`.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from sentencepiece import sentencepiece_model_pb2 as sp_pb2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common.unigram import load_spm, template_post_processor, unigram_tokenizer_json  # noqa: E402

SPECIALS = ("<pad>", "</s>", "<unk>")


def sentinels(extra_ids: int) -> list[str]:
    """In id order: <extra_id_{K-1}> first, <extra_id_0> last, as T5."""
    return [f"<extra_id_{i}>" for i in reversed(range(extra_ids))]


def tokenizer_json(proto: sp_pb2.ModelProto, extra_ids: int) -> dict:
    normalizer_extra = None if proto.normalizer_spec.remove_extra_whitespaces else ()
    kwargs = {} if normalizer_extra is None else {"normalizer_extra": normalizer_extra}
    return unigram_tokenizer_json(
        proto,
        specials=SPECIALS,
        added_tokens=sentinels(extra_ids),
        post_processor=template_post_processor(["$A", "</s>"], ["$A", "</s>", "$B", "</s>"], {"</s>": 1}),
        **kwargs,
    )


def tokenizer_config(extra_ids: int, model_max_length: int = 512) -> dict:
    return {
        "tokenizer_class": "T5Tokenizer",
        "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>",
        "extra_ids": extra_ids,
        "additional_special_tokens": [f"<extra_id_{i}>" for i in range(extra_ids)],
        "model_max_length": model_max_length,
        # transformers 4.28 decodes with clean_up_tokenization_spaces=True (LLM-Blender relies on it
        # when it decodes truncated candidates).
        "clean_up_tokenization_spaces": True,
    }


def write_t5_tokenizer(spiece: Path | sp_pb2.ModelProto, out: Path, extra_ids: int) -> None:
    proto = spiece
    if not isinstance(spiece, sp_pb2.ModelProto):
        proto = sp_pb2.ModelProto()
        proto.ParseFromString(Path(spiece).read_bytes())
    for i, special in enumerate(SPECIALS):
        if proto.pieces[i].piece != special:
            raise ValueError(f"piece {i} is {proto.pieces[i].piece!r}, T5 expects {special!r}")
    (out / "tokenizer.json").write_text(json.dumps(tokenizer_json(proto, extra_ids), ensure_ascii=False, separators=(",", ":")) + "\n")
    (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(extra_ids), indent=2, sort_keys=True) + "\n")


class T5TokenizerPy:
    """Encodes like HF's T5 fast tokenizer with add_special_tokens=False: the text is split
    on added tokens (specials and sentinels, matched literally), each remaining segment
    goes through sentencepiece (which strips it and prepends "▁")."""

    def __init__(self, proto: sp_pb2.ModelProto, extra_ids: int):
        self.sp = load_spm(proto)
        self.added = {tok: i for i, tok in enumerate(SPECIALS)}
        base = len(proto.pieces)
        self.added.update({tok: base + i for i, tok in enumerate(sentinels(extra_ids))})
        self.id_to_added = {i: t for t, i in self.added.items()}
        alternatives = sorted(self.added, key=len, reverse=True)
        self.splitter = re.compile("(" + "|".join(re.escape(t) for t in alternatives) + ")")

    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        for segment in self.splitter.split(text):
            if segment in self.added:
                ids.append(self.added[segment])
            elif segment:
                ids.extend(self.sp.encode(segment))
        return ids

    def decode(self, ids: list[int]) -> str:
        """HF decode (skip_special_tokens=False, clean_up_tokenization_spaces=True) for ids
        of plain pieces. Added tokens and <unk> are refused: HF and sentencepiece render
        them differently, and the goldens' candidates contain neither."""
        if any(i in self.id_to_added for i in ids):
            raise ValueError("decode() here handles plain pieces only")
        return clean_up_tokenization(self.sp.decode(ids))


def clean_up_tokenization(text: str) -> str:
    """transformers 4.28 PreTrainedTokenizerBase.clean_up_tokenization."""
    for before, after in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                          (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):
        text = text.replace(before, after)
    return text
