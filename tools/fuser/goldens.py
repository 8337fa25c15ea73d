"""test/golden/fuser.json: GenFuser prompts built per docs/reference.md §5 for the tiny
fuser's limits, their ids, and torch's greedy and 4-beam generations (generate.py, the
re-implementation of transformers 4.28.1's greedy_search / beam_search).
"""
from __future__ import annotations

import json
from pathlib import Path

import torch

from generate import beam_search, greedy
from model import T5ForConditionalGeneration
from prompt import fuse_input_ids, fuse_prompt
from t5_tokenizer import T5TokenizerPy

MAX_NEW_TOKENS = 20
NUM_BEAMS = 4

LONG = ("The license grants every person who receives a copy of the software the right to use, "
        "copy, modify and distribute it, provided that the copyright notice is kept in all copies.")

# (name, instruction, input, candidates)
CASES: list[tuple[str, str, str, list[str]]] = [
    ("two_short", "Answer the question.", "What is free software?", ["Software you may share.", "Software that respects freedom."]),
    ("three_typical", "Summarize the text.", "The program is distributed in the hope that it will be useful.",
     ["It may be useful.", "The program is offered without warranty.", "Hopefully useful software."]),
    ("empty_instruction", "", "Name a license for documents.", ["The GNU Free Documentation License.", "GFDL"]),
    ("empty_input", "Write one sentence about copyright.", "", ["Copyright protects works.", "Authors hold the copyright."]),
    ("one_candidate", "Translate to plain English.", "Licensee means the person receiving the work.", ["A licensee is who gets the work."]),
    ("candidate_over_limit", "Explain the terms.", "What may I do with the software?", [LONG, "You may copy it."]),
    ("two_over_limit", "Compare the answers.", "Can I sell copies?",
     [LONG, "Yes, you may charge a fee for the physical act of transferring a copy, and you may offer warranty protection for a fee."]),
    ("prompt_over_total_limit", "Combine the candidates into one clear answer for the reader.",
     "Under which conditions may the covered work be conveyed to other people?",
     [LONG, "You may convey verbatim copies of the source code as you receive it, in any medium.",
      "Conveying is allowed when you keep intact all notices stating that this license applies.",
      "You must give all recipients a copy of this license along with the program."]),
    ("five_candidates", "Pick the best title.", "A guide to software licenses",
     ["Licenses", "Software licenses explained", "Free and open source", "A guide", "Copyleft and you"]),
    ("accents_and_punctuation", "Réponds brièvement.", "Café, naïve, façade?", ["Oui!", "Non, merci.", "C'est ça."]),
    ("whitespace", "Keep the   spacing.", "line one\nline two", ["  leading spaces", "tab\tinside", "trailing  "]),
    ("numbers", "Add the numbers.", "2 + 3 = ?", ["5", "The sum is 5.", "It is 6."]),
]


def build(model: T5ForConditionalGeneration, tok: T5TokenizerPy, source_max_tokens: int, candidate_max_tokens: int) -> dict:
    cases = []
    for name, instruction, input_text, candidates in CASES:
        prompt = fuse_prompt(tok, instruction, input_text, candidates, candidate_max_tokens)
        prompt_ids = tok.encode(prompt)
        ids = fuse_input_ids(tok, prompt, source_max_tokens)
        x = torch.tensor([ids])
        mask = torch.ones_like(x)
        greedy_ids = greedy(model, x, mask, MAX_NEW_TOKENS)[0]
        beam_ids = beam_search(model, x, mask, MAX_NEW_TOKENS, NUM_BEAMS)[0]
        cases.append({
            "name": name,
            "instruction": instruction,
            "input": input_text,
            "candidates": candidates,
            "candidates_truncated": [len(tok.encode(c)) > candidate_max_tokens for c in candidates],
            "prompt": prompt,
            "prompt_ids": prompt_ids,
            "over_total_limit": len(prompt_ids) > source_max_tokens,
            "input_ids": ids,
            "greedy": {"ids": greedy_ids, "text": decode_generated(tok, greedy_ids)},
            "beam": {"ids": beam_ids, "text": decode_generated(tok, beam_ids)},
        })
    return {
        "description": (
            "GenFuser goldens for public/models/tiny-fuser, made by tools/fuser/make_tiny.py. prompt: the fuser input "
            "built per docs/reference.md section 5 with the tiny limits (candidate_max_tokens, source_max_tokens); "
            "prompt_ids: the prompt tokenized without special tokens; input_ids: prompt_ids right-truncated to "
            "source_max_tokens, as the reference does (it may cut the final instruction); greedy / beam: torch "
            "generations from input_ids (ids start with the decoder start token; text decoded skipping special "
            "tokens), re-implementing transformers 4.28.1 greedy_search / beam_search (length_penalty 1, "
            "early_stopping false)."
        ),
        "source_max_tokens": source_max_tokens,
        "candidate_max_tokens": candidate_max_tokens,
        "max_new_tokens": MAX_NEW_TOKENS,
        "num_beams": NUM_BEAMS,
        "cases": cases,
    }


def decode_generated(tok: T5TokenizerPy, ids: list[int]) -> str:
    """HF decode(skip_special_tokens=True): drop every special/added token, then decode."""
    from t5_tokenizer import clean_up_tokenization

    return clean_up_tokenization(tok.sp.decode([i for i in ids if i not in tok.id_to_added]))


def write(path: Path, goldens: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(goldens, ensure_ascii=False, indent=1) + "\n")
