"""PyTorch CPU timing of the benchmark cases through the project's faithful PairRM model
(tools/pairrm/model.py): the reference's runtime. The large preset's weights are rebuilt
from its seed (tools/pairrm/make_large.py), so they are the very weights of the ONNX files;
bench/run.mjs checks the logits against onnxruntime-node's.

usage: /usr/bin/python3 bench/pytorch_runner.py JOB.json OUT.json
  JOB: {"model": dir, "padId": 0, "threads": 2, "cases": [{"key", "rows", "padTo"?, "runs", "warmup"}]}
Which BLAS and OpenMP wait policy it runs with is the caller's choice (environment).
"""
from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tools.pairrm.make_large import SEED, large_architecture  # noqa: E402
from tools.pairrm.model import PairRMConfig  # noqa: E402
from tools.pairrm.random_weights import random_pairrm  # noqa: E402


def pack(rows: list[list[int]], length: int, pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.full((len(rows), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), length), dtype=torch.long)
    for r, row in enumerate(rows):
        ids[r, : len(row)] = torch.tensor(row, dtype=torch.long)
        mask[r, : len(row)] = 1
    return ids, mask


def main() -> int:
    job = json.loads(Path(sys.argv[1]).read_text())
    torch.set_num_threads(job.get("threads", 2))
    layers = json.loads((Path(job["model"]) / "config.json").read_text())["num_hidden_layers"]
    started = time.perf_counter()
    model = random_pairrm(PairRMConfig.from_dict(large_architecture(layers)), SEED)
    build_ms = (time.perf_counter() - started) * 1000
    results = []
    with torch.no_grad():
        for case in job["cases"]:
            length = case.get("padTo") or len(case["rows"][0])
            ids, mask = pack(case["rows"], length, job["padId"])
            if case["warmup"]:
                model(ids, mask)
            times, logits = [], None
            for _ in range(case["runs"]):
                t0 = time.perf_counter()
                out = model(ids, mask).logits
                times.append((time.perf_counter() - t0) * 1000)
                logits = logits if logits is not None else out.tolist()
            ms = statistics.median(times)
            results.append({"key": case["key"], "batch": len(case["rows"]), "length": length, "times": times,
                            "medianMs": ms, "logits": logits})
            print(f"  torch {case['key']}: {ms:.0f} ms per run [{', '.join(f'{t:.0f}' for t in times)}]", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    Path(sys.argv[2]).write_text(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(), "buildMs": build_ms, "peakBytes": peak,
        "results": results,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
