"""Greedy and beam-search generation for model.T5ForConditionalGeneration, with a
KV cache, re-implementing Hugging Face transformers 4.28.1 (the version LLM-Blender
pins): `greedy_search`, and `beam_search` with `BeamSearchScorer` / `BeamHypotheses`
(length_penalty 1.0, early_stopping False, one returned sequence, no logits
processors: GenFuser's generate call sets none).

Semantics worth knowing (they are what makes a port agree token for token):
- max_length = 1 (the decoder start token) + max_new_tokens; a step runs while the
  sequence is shorter than that.
- Beam scores start at 0 for beam 0 and -1e9 for the others, so step one expands
  beam 0 only. Each step takes the top 2*num_beams of (beam score + log-softmax)
  over all beams x vocab; candidates are walked in that order: an eos within the
  first num_beams ranks closes a hypothesis (its tokens WITHOUT the eos, scored
  sum_logprobs / len(tokens), the start token included), anything else continues
  a beam until num_beams beams are filled.
- A batch entry is done when it holds num_beams hypotheses and the worst of them is
  >= best current score / cur_len (cur_len = tokens so far, before this step's).
- At the end, open beams are added as hypotheses; the best one is returned, with
  eos appended when it is shorter than max_length.
Scores are float32 tensors as in HF; hypothesis scores are Python floats.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch

from model import T5ForConditionalGeneration


class DecoderState:
    """Encoder output, cross key/values and the growing self-attention cache."""

    def __init__(self, model: T5ForConditionalGeneration, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        self.model = model
        self.attention_mask = attention_mask
        encoded = model.encoder(input_ids, attention_mask)
        self.cross = model.decoder.cross_key_values(encoded)
        self.past: list[tuple[torch.Tensor, torch.Tensor]] | None = None

    def step(self, new_ids: torch.Tensor) -> torch.Tensor:
        """Feeds the new tokens; returns raw logits [rows, vocab] at the last new position."""
        hidden, self.past = self.model.decoder(new_ids, self.attention_mask, self.cross, self.past)
        return self.model.lm_head(hidden[:, -1, :])

    def expand(self, times: int) -> None:
        """Repeats every row `times` times (row r -> rows r*times .. r*times+times-1)."""
        self.attention_mask = self.attention_mask.repeat_interleave(times, 0)
        self.cross = [(k.repeat_interleave(times, 0), v.repeat_interleave(times, 0)) for k, v in self.cross]

    def reorder(self, rows: torch.Tensor) -> None:
        assert self.past is not None
        self.past = [(k.index_select(0, rows), v.index_select(0, rows)) for k, v in self.past]


@torch.no_grad()
def greedy(model: T5ForConditionalGeneration, input_ids: torch.Tensor, attention_mask: torch.Tensor, max_new_tokens: int) -> list[list[int]]:
    """HF greedy_search: finished rows are filled with pad; stops when all rows hit eos."""
    cfg = model.config
    state = DecoderState(model, input_ids, attention_mask)
    rows = input_ids.shape[0]
    sequences = torch.full((rows, 1), cfg.decoder_start_token_id, dtype=torch.long)
    unfinished = torch.ones(rows, dtype=torch.long)
    new_ids = sequences
    for _ in range(max_new_tokens):
        next_tokens = state.step(new_ids).argmax(-1)
        next_tokens = next_tokens * unfinished + cfg.pad_token_id * (1 - unfinished)
        sequences = torch.cat([sequences, next_tokens[:, None]], dim=1)
        unfinished = unfinished * (next_tokens != cfg.eos_token_id).long()
        if unfinished.max() == 0:
            break
        new_ids = next_tokens[:, None]
    return sequences.tolist()


@dataclass
class BeamHypotheses:
    num_beams: int
    length_penalty: float = 1.0
    beams: list[tuple[float, list[int]]] = field(default_factory=list)
    worst_score: float = 1e9

    def add(self, tokens: list[int], sum_logprobs: float) -> None:
        score = sum_logprobs / (len(tokens) ** self.length_penalty)
        if len(self.beams) < self.num_beams or score > self.worst_score:
            self.beams.append((score, tokens))
            if len(self.beams) > self.num_beams:
                ranked = sorted((s, i) for i, (s, _) in enumerate(self.beams))
                del self.beams[ranked[0][1]]
                self.worst_score = ranked[1][0]
            else:
                self.worst_score = min(score, self.worst_score)

    def is_done(self, best_sum_logprobs: float, cur_len: int) -> bool:
        if len(self.beams) < self.num_beams:
            return False
        return self.worst_score >= best_sum_logprobs / cur_len**self.length_penalty


@torch.no_grad()
def beam_search(
    model: T5ForConditionalGeneration, input_ids: torch.Tensor, attention_mask: torch.Tensor, max_new_tokens: int, num_beams: int = 4
) -> list[list[int]]:
    cfg = model.config
    state = DecoderState(model, input_ids, attention_mask)
    state.expand(num_beams)
    ids = SpecialIds(cfg.decoder_start_token_id, cfg.eos_token_id, cfg.pad_token_id)
    return beam_search_with(state.step, state.reorder, input_ids.shape[0], num_beams, max_new_tokens, ids)


@dataclass(frozen=True)
class SpecialIds:
    start: int
    eos: int
    pad: int


def beam_search_with(
    step: Callable[[torch.Tensor], torch.Tensor],
    reorder: Callable[[torch.Tensor], None],
    batch: int,
    num_beams: int,
    max_new_tokens: int,
    ids: SpecialIds,
) -> list[list[int]]:
    """The search itself, on any decoder: `step(new_ids [rows, 1])` returns the logits
    [rows, vocab] of those tokens given each row's history, `reorder(rows)` makes row i
    continue the history of row rows[i]."""
    max_length = 1 + max_new_tokens
    hyps = [BeamHypotheses(num_beams) for _ in range(batch)]
    done = [False] * batch
    sequences = torch.full((batch * num_beams, 1), ids.start, dtype=torch.long)
    beam_scores = torch.zeros((batch, num_beams), dtype=torch.float32)
    beam_scores[:, 1:] = -1e9
    beam_scores = beam_scores.view(-1)
    new_ids = sequences
    while True:
        cur_len = sequences.shape[1]
        logprobs = torch.log_softmax(step(new_ids).float(), dim=-1)
        vocab = logprobs.shape[-1]
        scores = (logprobs + beam_scores[:, None]).view(batch, num_beams * vocab)
        top_scores, top_ids = torch.topk(scores, 2 * num_beams, dim=1, largest=True, sorted=True)
        next_beam_scores = torch.zeros((batch, num_beams), dtype=torch.float32)
        next_beam_tokens = torch.zeros((batch, num_beams), dtype=torch.long)
        next_beam_rows = torch.zeros((batch, num_beams), dtype=torch.long)
        for b in range(batch):
            if done[b]:
                next_beam_tokens[b, :] = ids.pad
                continue  # scores 0, rows 0: the finished entry's beams idle on row 0
            filled = 0
            for rank in range(2 * num_beams):
                token = int(top_ids[b, rank]) % vocab
                row = b * num_beams + int(top_ids[b, rank]) // vocab
                score = top_scores[b, rank]
                if token == ids.eos:
                    if rank >= num_beams:
                        continue
                    hyps[b].add(sequences[row].tolist(), score.item())
                else:
                    next_beam_scores[b, filled] = score
                    next_beam_tokens[b, filled] = token
                    next_beam_rows[b, filled] = row
                    filled += 1
                if filled == num_beams:
                    break
            done[b] = done[b] or hyps[b].is_done(top_scores[b].max().item(), cur_len)
        beam_scores = next_beam_scores.view(-1)
        rows = next_beam_rows.view(-1)
        new_ids = next_beam_tokens.view(-1, 1)
        sequences = torch.cat([sequences.index_select(0, rows), new_ids], dim=1)
        reorder(rows)
        if all(done) or sequences.shape[1] >= max_length:
            break
    return _finalize(hyps, done, sequences, beam_scores, num_beams, max_length, ids.eos, ids.pad)


def _finalize(hyps, done, sequences, beam_scores, num_beams, max_length, eos, pad) -> list[list[int]]:
    best: list[list[int]] = []
    for b, hyp in enumerate(hyps):
        if not done[b]:
            for beam in range(num_beams):
                row = b * num_beams + beam
                hyp.add(sequences[row].tolist(), beam_scores[row].item())
        best.append(sorted(hyp.beams, key=lambda x: x[0])[-1][1])
    longest = max(len(t) for t in best)
    width = min(longest + 1, max_length)
    out = []
    for tokens in best:
        row = list(tokens)
        if len(row) < width:
            row.append(eos)
        # HF pads shorter rows to the batch width with pad.
        out.append(row + [pad] * (width - len(row)))
    return out
