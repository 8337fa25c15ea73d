"""The pair encoding rule (the engine implements the same in TypeScript):

a. source text = instruction + input (no separator); in the source and both candidates
   every literal "[SEP]" becomes " ".
b. content ids = the tokenizer on the text as plain text (see tokenizer.py): no added or
   special token matching, no specials added.
c. source row = [CLS, source marker] + content[: source_max_length - 3] + [SEP]
d. budget = (source_max_length + 2 * candidate_max_length - len(source row)) // 2;
   candidate k row = [CLS, candidate-k marker] + content[: budget - 3] + [SEP]
e. row = source row ++ candidate 1 row ++ candidate 2 row (attention mask all 1).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

PlainEncoder = Callable[[str], list[int]]


@dataclass(frozen=True)
class PairLayout:
    cls_id: int
    sep_id: int
    source_id: int
    cand1_id: int
    cand2_id: int
    source_max_length: int
    candidate_max_length: int

    @staticmethod
    def from_config(config: dict) -> "PairLayout":
        return PairLayout(
            config["cls_token_id"], config["sep_token_id"], config["source_prefix_id"],
            config["cand1_prefix_id"], config["cand2_prefix_id"],
            config["source_max_length"], config["candidate_max_length"],
        )


def clean(text: str) -> str:
    return text.replace("[SEP]", " ")


def encode_pair(
    encode: PlainEncoder, layout: PairLayout, instruction: str, input_text: str, cand1: str, cand2: str
) -> list[int]:
    source = encode(clean(instruction + input_text))
    source_row = [layout.cls_id, layout.source_id, *source[: layout.source_max_length - 3], layout.sep_id]
    budget = (layout.source_max_length + 2 * layout.candidate_max_length - len(source_row)) // 2
    rows = [source_row]  # budget >= candidate_max_length since len(source_row) <= source_max_length
    for marker, text in ((layout.cand1_id, cand1), (layout.cand2_id, cand2)):
        content = encode(clean(text))
        rows.append([layout.cls_id, marker, *content[: budget - 3], layout.sep_id])
    return [i for row in rows for i in row]
