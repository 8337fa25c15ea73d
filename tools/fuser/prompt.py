"""GenFuser's input text, exactly as LLM-Blender builds it (docs/reference.md §5, parity):

- each candidate is tokenized without specials; over `candidate_max_tokens` ids it is
  cut to that many ids, decoded (HF decode, clean-up on) and "..." is appended;
- pieces joined by the literal "</s>": "Instruction: " + instruction, "Input: " + input,
  "Candidate i: <extra_id_i>:" + candidate for each i, then
  "Summarize candidates into a better one for the given instruction:";
- the text is tokenized with add_special_tokens=False and right-truncated to
  `source_max_tokens` ids (which can cut the final instruction: the reference's bug,
  kept here because the goldens record the reference).
"""
from __future__ import annotations

from t5_tokenizer import T5TokenizerPy

FINAL_INSTRUCTION = "Summarize candidates into a better one for the given instruction:"


def truncate_candidate(tok: T5TokenizerPy, candidate: str, candidate_max_tokens: int) -> str:
    ids = tok.encode(candidate)
    if len(ids) <= candidate_max_tokens:
        return candidate
    return tok.decode(ids[:candidate_max_tokens]) + "..."


def fuse_prompt(tok: T5TokenizerPy, instruction: str, input_text: str, candidates: list[str], candidate_max_tokens: int) -> str:
    pieces = ["Instruction: " + instruction, "Input: " + input_text]
    pieces += [f"Candidate {i}: <extra_id_{i}>:" + truncate_candidate(tok, c, candidate_max_tokens) for i, c in enumerate(candidates)]
    pieces.append(FINAL_INSTRUCTION)
    return "</s>".join(pieces)


def fuse_input_ids(tok: T5TokenizerPy, prompt: str, source_max_tokens: int) -> list[int]:
    return tok.encode(prompt)[:source_max_tokens]
