"""Random PairRM weights whose logits actually vary (tiny bundled model, large benchmark
preset). Same recipe as the oracle (test/fixtures/oracle-checkpoints/README.md): HF's std-0.02 init makes
every input give nearly the same logit, which would let bugs pass unnoticed.

  LayerNorm weight 1 + 0.1 N(0,1), bias 0.1 N(0,1); Linear bias 0.02 N(0,1);
  Linear weight N(0,1)/sqrt(fan_in), query/key times `qk_gain` (the oracle used 2:
  sharper attention);
  embedding tables (word, relative) N(0,1): both are layer-normed before use.
Modules are filled in named_modules order from one torch.Generator seeded with `seed`.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from tools.pairrm.model import PairRM, PairRMConfig


def random_pairrm(config: PairRMConfig, seed: int, qk_gain: float = 2.0) -> PairRM:
    model = PairRM(config)
    generator = torch.Generator().manual_seed(seed)

    def normal(shape: torch.Size) -> torch.Tensor:
        return torch.randn(shape, generator=generator)

    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, nn.LayerNorm):
                module.weight.copy_(1 + 0.1 * normal(module.weight.shape))
                module.bias.copy_(0.1 * normal(module.bias.shape))
            elif isinstance(module, nn.Linear):
                gain = qk_gain if name.endswith(("query_proj", "key_proj")) else 1.0
                module.weight.copy_(gain * normal(module.weight.shape) / math.sqrt(module.in_features))
                module.bias.copy_(0.02 * normal(module.bias.shape))
            elif isinstance(module, nn.Embedding):
                module.weight.copy_(normal(module.weight.shape))
    return model.eval()
